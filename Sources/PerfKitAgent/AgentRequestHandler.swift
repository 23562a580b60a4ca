import FoundationEssentials
import NIOCore
import PerfKit

/// Answers the request lines of one agent connection: one response line per request line.
///
/// Runs on the connection's event loop. A snapshot request takes a fresh snapshot of the registry;
/// anything else gets an ``AgentErrorResponse``. An over-long line gets an error line and the
/// connection is closed; idle and failed connections are closed by ``AgentConnectionCloser``.
final class AgentRequestHandler: ChannelInboundHandler {
    typealias InboundIn = AgentRequestLine
    typealias OutboundOut = ByteBuffer

    private let responder: AgentResponder

    init(responder: AgentResponder) {
        self.responder = responder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .line(let line):
            let response = self.responder.response(toRequestLine: line.readableBytesView)
            context.writeAndFlush(self.wrapOutboundOut(context.channel.allocator.buffer(bytes: response)), promise: nil)
        case .tooLong:
            let response = self.responder.errorLine(
                "request line longer than \(AgentProtocol.maxRequestLineBytes) bytes; closing the connection"
            )
            context.writeAndFlush(self.wrapOutboundOut(context.channel.allocator.buffer(bytes: response)))
                .assumeIsolated()
                .whenComplete { _ in context.close(promise: nil) }
        }
    }
}

@available(*, unavailable)
extension AgentRequestHandler: Sendable {}

// MARK: - Responder

/// Turns one request line into one response line, newline included; independent of any socket.
struct AgentResponder: Sendable {
    private struct Request: Decodable {
        var request: String?
    }

    /// The longest part of an unknown request name quoted back in an error line.
    private static let maxQuotedRequestLength = 64

    let registry: MetricsRegistry
    let agentName: String

    /// The response to `line`: a snapshot line for a snapshot request, an error line otherwise.
    func response(toRequestLine line: some Collection<UInt8>) -> [UInt8] {
        let request: Request
        do {
            request = try JSONDecoder().decode(Request.self, from: Data(line))
        } catch DecodingError.typeMismatch(_, let context) where !context.codingPath.isEmpty {
            return self.errorLine(#"the "request" field is not a string"#)
        } catch {
            return self.errorLine("request is not a JSON object")
        }
        guard let name = request.request else {
            return self.errorLine(#"request has no "request" field"#)
        }
        guard name == "snapshot" else {
            return self.errorLine("unknown request \"\(name.prefix(Self.maxQuotedRequestLength))\"")
        }
        do {
            var bytes = [UInt8](try self.registry.snapshot(agent: self.agentName).jsonLine())
            bytes.append(UInt8(ascii: "\n"))
            return bytes
        } catch {
            return self.errorLine("cannot encode snapshot: \(error)")
        }
    }

    /// An error line with the given reason, newline included.
    func errorLine(_ reason: String) -> [UInt8] {
        // Encoding three strings and an integer cannot fail; the fallback keeps the reply one line.
        var bytes =
            (try? [UInt8](AgentErrorResponse(error: reason).jsonLine()))
            ?? Array(#"{"error":"internal error","schema":"perftop.error","version":1}"#.utf8)
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }
}
