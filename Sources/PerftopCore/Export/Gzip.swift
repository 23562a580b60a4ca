import CZlib

/// gzip (RFC 1952) through zlib, for compressed records (`--record FILE.gz`): each round is written as
/// a gzip member of its own, so a crash loses at most the member being written, and `zcat`,
/// `gunzip -c` or perftop's replay read the members one after another as one text.
package enum Gzip {
    /// The gzip magic number, the first two bytes of every member.
    package static let magic: [UInt8] = [0x1F, 0x8B]

    /// What ``decompress(_:limit:)`` read.
    package struct Decompressed: Equatable {
        /// The text of every whole member, in order.
        package var bytes: [UInt8]
        /// Why the rest could not be read (a cut member at the end, damaged data, the limit), or nil.
        package var damage: String?
    }

    /// `bytes` as one gzip member at zlib's `level` (1 fastest … 9 smallest).
    ///
    /// Cost: linear in `bytes`; level 6 compresses about 50–100 MB/s a core.
    package static func compress(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        guard czlib_deflate_init_gzip(&stream, level) == Z_OK else {
            // Only out of memory; an uncompressed fallback would corrupt the file, so write nothing.
            return []
        }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 32)
        let written: Int = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { buffer in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = buffer.baseAddress
                stream.avail_out = uInt(buffer.count)
                guard deflate(&stream, Z_FINISH) == Z_STREAM_END else {
                    return 0
                }
                return buffer.count - Int(stream.avail_out)
            }
        }
        output.removeSubrange(written...)
        return output
    }

    /// The text of the gzip members in `data`, one after another, at most `limit` bytes of it.
    ///
    /// Never throws: what the whole members hold is returned with the reason the rest was not read
    /// (a member cut short, as a crash leaves the last one; damaged data; more than `limit`). Cost:
    /// linear in the text.
    package static func decompress(_ data: some Collection<UInt8>, limit: Int) -> Decompressed {
        // A record's Data is contiguous: read in place rather than copy up to a gigabyte.
        if let result = data.withContiguousStorageIfAvailable({ Self.decompress(buffer: $0, limit: limit) }) {
            return result
        }
        return Array(data).withUnsafeBufferPointer { Self.decompress(buffer: $0, limit: limit) }
    }

    /// ``decompress(_:limit:)`` of bytes in memory; at most 4 GiB (zlib counts input in 32 bits).
    private static func decompress(buffer input: UnsafeBufferPointer<UInt8>, limit: Int) -> Decompressed {
        var result = Decompressed(bytes: [])
        var stream = z_stream()
        guard czlib_inflate_init_gzip(&stream) == Z_OK else {
            result.damage = "cannot decompress: out of memory"
            return result
        }
        defer { inflateEnd(&stream) }
        guard !input.isEmpty else {
            return result
        }
        let cut = "the last gzip member is cut short at byte \(input.count) (a crash while writing it)"
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
        stream.avail_in = uInt(input.count)
        var memberStart = 0
        var pending: [UInt8] = []
        while true {
            let status = chunk.withUnsafeMutableBufferPointer { output in
                stream.next_out = output.baseAddress
                stream.avail_out = uInt(output.count)
                let status = inflate(&stream, Z_NO_FLUSH)
                pending.append(contentsOf: output[0..<(output.count - Int(stream.avail_out))])
                return status
            }
            guard result.bytes.count + pending.count <= limit else {
                result.damage = "more than \(limit >> 20) MiB of text"
                return result
            }
            switch status {
            case Z_STREAM_END:
                result.bytes += pending
                pending.removeAll(keepingCapacity: true)
                guard stream.avail_in > 0 else {
                    return result
                }
                memberStart = input.count - Int(stream.avail_in)
                // Keeps the input where it is: the next member starts there.
                inflateReset(&stream)
            case Z_OK where stream.avail_in > 0 || stream.avail_out == 0:
                continue
            case Z_OK:
                // All input taken and room left for output: the member needs bytes that are not there.
                result.damage = cut
                return result
            case Z_BUF_ERROR where stream.avail_in == 0:
                result.damage = cut
                return result
            default:
                let reason = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                result.damage = "damaged gzip data in the member at byte \(memberStart): \(reason)"
                return result
            }
        }
    }
}
