import NIOCore
import NIOPosix
import NIOSSL
import PerfKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

// MARK: - Failure reasons of network feeds

extension FeedError {
    /// The reason to show for a request to an HTTP endpoint or a server (Redis, memcached) that failed
    /// with `error`: ``FeedError`` itself and `CancellationError` are returned as they are.
    static func describing(_ error: any Error, timeout: Duration) -> any Error {
        if error is CancellationError || error is FeedError {
            return error
        }
        if let error = error as? HTTP1Client.Failure {
            return error.kind == .deadlineExceeded ? FeedError.timeout(after: timeout) : FeedError(error.description)
        }
        if let error = error as? ServerConnection.Failure {
            return error.kind == .deadlineExceeded ? FeedError.timeout(after: timeout) : FeedError(error.description)
        }
        if let error = error as? NIOConnectionError {
            if error.connectionErrors.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil {
                return FeedError("cannot resolve \(error.host)")
            }
            if let first = error.connectionErrors.first?.error {
                return Self.describing(first, timeout: timeout)
            }
        }
        if let error = error as? IOError {
            return Self.reason(errno: error.errnoCode, timeout: timeout)
        }
        if let error = error as? ChannelError {
            if case .connectTimeout = error {
                return FeedError.timeout(after: timeout)
            }
            return FeedError("connection closed")
        }
        if error is NIOSSLError || error is NIOSSLExtraError {
            return Self.tlsReason(error)
        }
        return FeedError("\(error)")
    }

    /// `TLS: certificate verification failed`, `TLS: certificate is not for this host`,
    /// `TLS: handshake failed`, or the error's own text, cut.
    private static func tlsReason(_ error: any Error) -> FeedError {
        if let error = error as? NIOSSLExtraError, error == .failedToValidateHostname {
            return FeedError("TLS: certificate is not for this host")
        }
        let text = "\(error)"
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            return FeedError("TLS: certificate verification failed")
        }
        if text.hasPrefix("handshakeFailed") {
            return FeedError("TLS: handshake failed")
        }
        return FeedError("TLS: " + text.prefix(120))
    }

    private static func reason(errno code: Int32, timeout: Duration) -> FeedError {
        switch code {
        case ECONNREFUSED: FeedError("connection refused")
        case ECONNRESET, EPIPE: FeedError("connection reset")
        case ETIMEDOUT: FeedError.timeout(after: timeout)
        case EHOSTUNREACH: FeedError("host unreachable")
        case ENETUNREACH: FeedError("network unreachable")
        default: FeedError(ProcFile.describe(errno: code))
        }
    }
}
