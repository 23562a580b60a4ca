import PerfKit
import Synchronization

/// Runs `operation` and returns its result, or throws ``FeedError`` `timeout after …` once `timeout` has passed.
///
/// Unlike a task group, this does not wait for an operation that ignores cancellation: the
/// operation is cancelled and left to finish on its own, and the caller moves on at the deadline.
/// That is what keeps one hung source from delaying a collection round.
func withDeadline<Result: Sendable>(
    _ timeout: Duration,
    operation: @escaping @Sendable () async throws -> Result
) async throws -> Result {
    let race = DeadlineRace<Result>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
            race.begin(continuation)
            let work = Task {
                do {
                    race.finish(.success(try await operation()))
                } catch {
                    race.finish(.failure(error))
                }
            }
            let timer = Task {
                try? await Task.sleep(for: timeout)
                if !Task.isCancelled {
                    race.finish(.failure(FeedError("timeout after \(timeout.formattedSeconds)s")))
                }
            }
            race.track([work, timer])
        }
    } onCancel: {
        race.finish(.failure(CancellationError()))
    }
}

/// The shared state of one ``withDeadline(_:operation:)`` call: whoever finishes first resumes the caller.
private final class DeadlineRace<Result: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Result, any Error>?
        var finished: Swift.Result<Result, any Error>?
        var tasks: [Task<Void, Never>] = []
    }

    private let state = Mutex(State())

    func begin(_ continuation: CheckedContinuation<Result, any Error>) {
        let early = self.state.withLockedValue { state -> Swift.Result<Result, any Error>? in
            if let finished = state.finished {
                return finished
            }
            state.continuation = continuation
            return nil
        }
        if let early {
            continuation.resume(with: early)
        }
    }

    func track(_ tasks: [Task<Void, Never>]) {
        let alreadyFinished = self.state.withLockedValue { state -> Bool in
            state.tasks = tasks
            return state.finished != nil
        }
        if alreadyFinished {
            tasks.forEach { $0.cancel() }
        }
    }

    func finish(_ result: Swift.Result<Result, any Error>) {
        let (continuation, tasks) = self.state.withLockedValue {
            state -> (CheckedContinuation<Result, any Error>?, [Task<Void, Never>]) in
            guard state.finished == nil else {
                return (nil, [])
            }
            state.finished = result
            defer { state.continuation = nil }
            return (state.continuation, state.tasks)
        }
        tasks.forEach { $0.cancel() }
        continuation?.resume(with: result)
    }
}

extension Duration {
    /// The duration in seconds with one decimal, e.g. `1.0` or `0.3`, as shown in timeout reasons.
    var formattedSeconds: String {
        let tenths = (self.seconds * 10).rounded()
        return "\(Int(tenths) / 10).\(Int(tenths) % 10)"
    }
}
