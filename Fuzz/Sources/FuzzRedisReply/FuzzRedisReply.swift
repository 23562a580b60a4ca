import FuzzSupport
import PerfKit
import PerfKitRedis
import PerftopCore

/// A Redis server's answer to a poll (`AUTH` then `INFO all`, or `INFO all` alone) through the framing
/// and ``RedisFeed/samples(answer:replies:)``: whatever the server sends, no crash, a whole answer is
/// read, and every sample is finite. And the same bytes as a `RedisClient` connection reads pipelined
/// replies off the front of what it received (`RESPReader.prefix`): never more bytes than there are, and
/// the replies of a longer prefix start with those of a shorter one.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let answer = Array(Fuzz.bytes(data, size))
    for replies in 1...2 {
        guard let whole = try? RedisFeed.isWhole(answer, replies: replies) else {
            continue
        }
        if let samples = try? RedisFeed.samples(answer: answer, replies: replies) {
            Fuzz.check(whole, "samples from an answer the framing calls incomplete")
            Fuzz.check(samples.allSatisfy { $0.value.isFinite }, "a sample that is not finite")
        }
    }
    var previous: (replies: [RESPValue], length: Int)?
    for count in 1...4 {
        guard let prefix = try? RESPReader.prefix(count, of: answer) else {
            break
        }
        Fuzz.check(prefix.replies.count == count, "\(prefix.replies.count) replies for \(count)")
        Fuzz.check(prefix.length <= answer.count, "a prefix longer than the bytes")
        if let previous {
            Fuzz.check(Array(prefix.replies.prefix(count - 1)) == previous.replies, "replies changed with the count")
            Fuzz.check(prefix.length > previous.length, "a reply of no bytes")
        }
        previous = prefix
    }
    return 0
}
