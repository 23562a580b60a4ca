import PerfKit
import Testing

// Helpers the tests of several PerfKit modules share (PerfKitTests, PerfKitAgentTests).

/// What ``waitUntil(_:sourceLocation:)`` throws when its condition never held.
public struct ConditionNeverMet: Error {
    public init() {}
}

/// Polls `condition` until it holds. The 60 s bound only keeps a broken test from hanging (10 s was
/// reached once by 4,000 tasks in a loaded full run on two cores); no test
/// asserts how long anything took.
public func waitUntil(
    _ condition: () -> Bool,
    sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    let clock = ContinuousClock()
    let giveUp = clock.now.advanced(by: .seconds(60))
    while clock.now < giveUp {
        if condition() {
            return
        }
        try await Task.sleep(for: .milliseconds(1))
    }
    Issue.record("condition never became true", sourceLocation: sourceLocation)
    throw ConditionNeverMet()
}

/// The samples in `samples` with the given name, keyed by their labels.
public func samples(named name: String, in samples: [Sample]) -> [[String: String]: Sample] {
    Dictionary(uniqueKeysWithValues: samples.filter { $0.name == name }.map { ($0.labels, $0) })
}
