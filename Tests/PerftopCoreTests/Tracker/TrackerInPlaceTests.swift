import Testing

@testable import PerftopCore

@Suite("Tracker in place")
struct TrackerInPlaceTests {
    /// A tracker file as a person writes one: comments, odd spacing, keys out of order, a column list.
    static let file = """
        # Owned by the platform team.
        title   =   "service"   # the title

        [[target]]
        name = "Resolver Lookup"       # from the seed
        goal="< 5ms"
        columns = [
            ["Component", "TaskResolverRegistry"],   # kept
        ]

        # The next one is bound already.
        [[target]]
          name = "memory"
          metric = 'process_resident_memory_bytes'
          goal = "< 512MiB"

        """

    static let binding = TrackerBinding(
        targetIndex: 0,
        targetName: "Resolver Lookup",
        metric: MetricSelector(name: "operation_seconds", matchers: [.init(label: "op", value: "resolver.lookup")]),
        statistic: .p95
    )

    @Test("a binding is written in place: metric and statistic after the name, every other line byte for byte")
    func inPlace() throws {
        let tracker = try Tracker(toml: Self.file)
        let updated = try #require(tracker.applying(Self.binding))
        let text = try #require(tracker.text(Self.file, updatedTo: updated))
        var expected = Self.file.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        expected.insert(
            contentsOf: [#"metric = 'operation_seconds{op="resolver.lookup"}'"#, #"statistic = "p95""#],
            at: 5
        )
        #expect(text == expected.joined(separator: "\n"))
        #expect(try Tracker(toml: text) == updated)
    }

    @Test("a binding replaces an existing metric and statistic on their own lines")
    func rebind() throws {
        let tracker = try Tracker(toml: Self.file)
        var binding = Self.binding
        binding.targetIndex = 1
        binding.targetName = "memory"
        binding.statistic = .max
        let updated = try #require(tracker.applying(binding))
        let text = try #require(tracker.text(Self.file, updatedTo: updated))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let original = Self.file.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[13] == #"metric = 'operation_seconds{op="resolver.lookup"}'"#)
        #expect(lines[14] == #"statistic = "max""#)
        #expect(Array(lines.prefix(13)) == Array(original.prefix(13)))
        #expect(Array(lines.suffix(2)) == Array(original.suffix(2)))
    }

    @Test("a file without [[target]] tables cannot be edited in place: nil, so the caller writes it whole")
    func inlineArray() throws {
        let text = #"target = [{ name = "Resolver Lookup", goal = "< 5ms" }]"# + "\n"
        let tracker = try Tracker(toml: text)
        let updated = try #require(tracker.applying(Self.binding))
        #expect(tracker.text(text, updatedTo: updated) == nil)
    }
}
