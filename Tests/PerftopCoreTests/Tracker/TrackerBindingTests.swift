import Testing

@testable import PerftopCore

@Suite("TrackerBinding")
struct TrackerBindingTests {
    @Test("applying sets the target's metric and statistic and nothing else")
    func applying() throws {
        let tracker = try Tracker(toml: TrackerInPlaceTests.file)
        let updated = try #require(tracker.applying(TrackerInPlaceTests.binding))
        var expected = tracker
        expected.targets[0].metric = TrackerInPlaceTests.binding.metric
        expected.targets[0].statistic = .p95
        #expect(updated == expected)
    }

    @Test("a binding whose target is not at its place with its name changes nothing")
    func staleBinding() throws {
        let tracker = try Tracker(toml: TrackerInPlaceTests.file)
        var binding = TrackerInPlaceTests.binding
        binding.targetName = "renamed"
        #expect(tracker.applying(binding) == nil)
        binding.targetIndex = 5
        #expect(tracker.applying(binding) == nil)
    }
}
