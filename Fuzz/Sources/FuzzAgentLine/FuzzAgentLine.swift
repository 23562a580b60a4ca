import FuzzSupport
import NIOCore
import NIOEmbedded
import PerfKitAgent

/// The bytes of an agent connection through ``AgentLineDecoder`` in an `EmbeddedChannel`, split into reads where
/// the input says, compared with the protocol's rule: lines end with `\n`, a `\r` before it is dropped, a line
/// longer than the limit ends the conversation with one `tooLong`, bytes after the last `\n` are dropped.
///
/// The first byte chooses the read size (1 to 64 bytes); the rest is the connection's bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Fuzz.bytes(data, size)
    guard let first = input.first else {
        return 0
    }
    let maxLength = 16
    let readSize = Int(first % 64) + 1
    let stream = Array(input.dropFirst())

    let channel = EmbeddedChannel(handler: ByteToMessageHandler(AgentLineDecoder(maxLength: maxLength)))
    var decoded: [[UInt8]?] = []
    func drain() {
        while let line = try? channel.readInbound(as: AgentRequestLine.self) {
            switch line {
            case .line(let buffer): decoded.append(Array(buffer.readableBytesView))
            case .tooLong: decoded.append(nil)
            }
        }
    }
    var offset = 0
    while offset < stream.count {
        let end = min(offset + readSize, stream.count)
        do {
            try channel.writeInbound(ByteBuffer(bytes: stream[offset..<end]))
        } catch {
            Fuzz.check(false, "writeInbound threw \(error)")
        }
        drain()
        offset = end
    }
    _ = try? channel.finish()
    drain()

    Fuzz.check(decoded == expectedLines(stream, maxLength: maxLength), "lines differ from the protocol's rule")
    return 0
}

/// The lines the protocol says `stream` holds; `nil` for the over-long line that ends it.
private func expectedLines(_ stream: [UInt8], maxLength: Int) -> [[UInt8]?] {
    var lines: [[UInt8]?] = []
    var pending: [UInt8] = []
    for byte in stream {
        guard byte == UInt8(ascii: "\n") else {
            pending.append(byte)
            continue
        }
        if pending.last == UInt8(ascii: "\r") {
            pending.removeLast()
        }
        guard pending.count <= maxLength else {
            lines.append(nil)
            return lines
        }
        lines.append(pending)
        pending = []
    }
    // A line that cannot end within the limit any more is reported at once, before its newline.
    if pending.count > maxLength + (pending.last == UInt8(ascii: "\r") ? 1 : 0) {
        lines.append(nil)
    }
    return lines
}
