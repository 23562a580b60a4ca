import PerfKit
import PerfKitAgent

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// A semantic cache in front of a (stand-in) language model: questions asked in several wordings
// are answered from the cache when a cached question is similar enough, and the dashboard shows
// how many hits were similar and how similar, to tune the threshold.
//
//   AnswerCache SOCKET [SECONDS]     serve for SECONDS (default 300), then exit
//
// Watch it with `perftop --attach SOCKET`.

/// A stand-in for a sentence-embedding model: each word adds 1 to one of 128 dimensions (by its
/// FNV-1a hash), so wordings that share most words point the same way. Use a real model's
/// embeddings (e.g. 384 floats from all-MiniLM-L6-v2) in an app.
func embed(_ text: String) async throws -> [Float] {
    var vector = [Float](repeating: 0, count: 128)
    for word in text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in word.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        vector[Int(hash % 128)] += 1
    }
    return vector
}

/// A stand-in for the model call the cache saves: 20 ms per answer.
func generate(_ question: String) async throws -> String {
    try await Task.sleep(for: .milliseconds(20))
    return "an answer to: \(question)"
}

let answers = SemanticCache<String>(
    name: "answers",
    capacity: 5_000,
    dimensions: 128,
    similarityThreshold: 0.85,
    timeToLive: .seconds(600),
    embed: embed
)

let arguments = CommandLine.arguments
guard arguments.count == 2 || arguments.count == 3, let seconds = Int(arguments.count == 3 ? arguments[2] : "300")
else {
    print("usage: AnswerCache SOCKET [SECONDS]")
    exit(64)
}
let registry = MetricsRegistry()
registry.register(answers)
registry.register(OperationTimings.default)
registry.register(ProcessSampleSource())
let server = try await AgentServer.start(path: arguments[1], registry: registry, agentName: "answers")
print("serving on \(arguments[1]) for \(seconds) s: perftop --attach \(arguments[1])")
let wordings = ["what is the %@ of order %d", "tell me the %@ of order %d please", "%@ of order %d?"]
let subjects = ["status", "total", "delivery date", "owner"]
let end = ContinuousClock.now + .seconds(seconds)
while ContinuousClock.now < end {
    await withTaskGroup(of: Void.self) { group in
        for _ in 0..<50 {
            let order = Int.random(in: 0..<300)
            let subject = subjects.randomElement()!
            let question = wordings.randomElement()!.replacingPlaceholders(subject, order)
            group.addTask {
                _ = try? await answers.value(for: question, parameters: "model=small,temperature=0") {
                    try await OperationTimings.default.measure("answers.generate") { try await generate(question) }
                }
            }
        }
    }
    try await Task.sleep(for: .milliseconds(100))
}
try await server.shutdown()

extension String {
    /// This template with `%@` replaced by `subject` and `%d` by `number`.
    func replacingPlaceholders(_ subject: String, _ number: Int) -> String {
        self.split(separator: "%@", omittingEmptySubsequences: false).joined(separator: subject)
            .split(separator: "%d", omittingEmptySubsequences: false).joined(separator: String(number))
    }
}
