import PerftopCore

/// Polls `feed` once and returns its failure reason, or `nil` when the poll succeeded.
func failureReason(polling feed: some Feed, timeout: Duration) async -> String? {
    do {
        _ = try await feed.poll(timeout: timeout)
        return nil
    } catch let error as FeedError {
        return error.reason
    } catch {
        return "unexpected \(type(of: error)): \(error)"
    }
}
