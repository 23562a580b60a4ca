import NIOCore
import PerfKit

/// The last handler of both agent servers' pipelines: closes a connection that has been idle past its
/// read timeout (an `IdleStateHandler` event) or on which any handler reported an error.
final class AgentConnectionCloser: ChannelInboundHandler {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension AgentConnectionCloser: Sendable {}
