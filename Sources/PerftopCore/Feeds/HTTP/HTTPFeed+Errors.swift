import AsyncHTTPClient
import NIOCore
import NIOHTTP1
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

// MARK: - Failure reasons

extension HTTPFeed {
    /// The reason to show for a failed request, given how many body bytes had arrived.
    static func failure(_ error: any Error, timeout: Duration, received: Int) -> any Error {
        if error is CancellationError {
            return error
        }
        if let error = error as? HTTPClientError {
            return Self.reason(for: error, timeout: timeout, received: received)
        }
        if error is HTTPParserError {
            return received > 0 ? FeedError.closedMidResponse(after: received) : FeedError("malformed HTTP response")
        }
        if let error = error as? NIOConnectionError {
            if error.connectionErrors.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil {
                return FeedError("cannot resolve \(error.host)")
            }
            if let first = error.connectionErrors.first?.error {
                return Self.failure(first, timeout: timeout, received: received)
            }
        }
        if let error = error as? IOError {
            return Self.reason(errno: error.errnoCode, timeout: timeout)
        }
        if error is ChannelError {
            return received > 0 ? FeedError.closedMidResponse(after: received) : FeedError("connection closed")
        }
        if error is NIOSSLError || error is NIOSSLExtraError {
            return Self.tlsReason(error)
        }
        return FeedError("\(error)")
    }

    private static func reason(for error: HTTPClientError, timeout: Duration, received: Int) -> FeedError {
        switch error {
        case .deadlineExceeded, .readTimeout, .connectTimeout, .tlsHandshakeTimeout, .getConnectionFromPoolTimeout:
            return FeedError.timeout(after: timeout)
        case .remoteConnectionClosed, .bodyLengthMismatch:
            return received > 0
                ? FeedError.closedMidResponse(after: received) : FeedError("connection closed before a response")
        case .invalidURL, .emptyHost, .emptyScheme:
            return FeedError("invalid URL")
        case .cancelled:
            return FeedError("cancelled")
        default:
            return FeedError(error.shortDescription)
        }
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

extension FeedError {
    /// `connection closed mid-response after N bytes`.
    static func closedMidResponse(after received: Int) -> FeedError {
        FeedError("connection closed mid-response after \(received) bytes")
    }
}
