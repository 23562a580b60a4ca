/// Why an ``HTTPResponseCache`` could not answer a request; errors of the HTTP client itself, such as a
/// refused connection, are thrown as the client throws them.
public enum HTTPResponseCacheError: Error, Sendable, Hashable {
    /// The origin's response body was longer than ``HTTPResponseCache/maximumResponseBytes``; reading
    /// stopped at the limit and the response was discarded.
    case responseTooLarge(url: String, limit: Int)
    /// The origin did not send its whole response within ``HTTPResponseCache/timeout``.
    case timedOut(url: String, timeout: Duration)
}
