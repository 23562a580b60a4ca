import NIOCore
import PerfKit

/// One request line read from an agent connection, or the news that a line was too long.
public enum AgentRequestLine: Sendable {
    /// A complete line without its `\n` (and without a `\r` before it).
    case line(ByteBuffer)
    /// A line longer than the limit; everything after it on the connection is discarded.
    case tooLong
}

/// Splits the bytes of a connection into newline-terminated lines of at most `maxLength` bytes.
///
/// Memory is bounded: the decoder never holds more than `maxLength` bytes (and a `\r`) plus one read
/// waiting for a newline. After an over-long line it reports ``AgentRequestLine/tooLong`` once and drops all further
/// input. Bytes after the last newline when the connection closes are dropped. Cost: each read searches
/// the bytes held for a newline, so at most `maxLength` plus the read.
///
/// ``AgentServer`` puts one in front of every connection, wrapped in NIO's `ByteToMessageHandler`; it
/// is public so that another NIO pipeline speaking the agent protocol, and the fuzz target that feeds it
/// hostile bytes, can use the same one.
public struct AgentLineDecoder: ByteToMessageDecoder {
    public typealias InboundOut = AgentRequestLine

    private let maxLength: Int
    private var discarding = false

    /// Creates a decoder for lines of at most `maxLength` bytes, without the newline (and a `\r` before it).
    public init(maxLength: Int) {
        self.maxLength = maxLength
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if self.discarding {
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
            return .needMoreData
        }
        let view = buffer.readableBytesView
        guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else {
            // Too long already, unless a `\r` just past the limit is about to be followed by the newline.
            if view.count > self.maxLength + (view.last == UInt8(ascii: "\r") ? 1 : 0) {
                self.discard(context: context, buffer: &buffer)
            }
            return .needMoreData
        }
        var length = newline - view.startIndex
        if length > 0, view[newline - 1] == UInt8(ascii: "\r") {
            length -= 1
        }
        if length > self.maxLength {
            self.discard(context: context, buffer: &buffer)
            return .needMoreData
        }
        let line = buffer.getSlice(at: buffer.readerIndex, length: length)!
        buffer.moveReaderIndex(to: newline + 1)
        context.fireChannelRead(self.wrapInboundOut(.line(line)))
        return .continue
    }

    public mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        while try self.decode(context: context, buffer: &buffer) == .continue {}
        buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
        return .needMoreData
    }

    private mutating func discard(context: ChannelHandlerContext, buffer: inout ByteBuffer) {
        self.discarding = true
        buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
        context.fireChannelRead(self.wrapInboundOut(.tooLong))
    }
}
