import Foundation
import Synchronization
import Testing

@testable import PerftopCore

@Suite("TrackerBinder")
struct TrackerBinderTests {
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

    private func temporaryFile(_ text: String) throws -> (directory: String, path: String) {
        let directory = FileManager.default.temporaryDirectory.path + "/perftop-bind-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        let path = directory + "/tracker.toml"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return (directory, path)
    }

    private static let binding = TrackerBinding(
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

    @Test("a binding whose target is not at its place with its name changes nothing")
    func staleBinding() throws {
        let tracker = try Tracker(toml: Self.file)
        var binding = Self.binding
        binding.targetName = "renamed"
        #expect(tracker.applying(binding) == nil)
        binding.targetIndex = 5
        #expect(tracker.applying(binding) == nil)
    }

    @Test("bind writes the file atomically, keeps its mode, and hands the tracker on")
    func bindToFile() throws {
        let (directory, path) = try self.temporaryFile(Self.file)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        chmod(path, 0o640)
        let evaluated = Mutex<Tracker?>(nil)
        let binder = TrackerBinder(tracker: try Tracker(toml: Self.file), path: path) { tracker in
            evaluated.withLockedValue { $0 = tracker }
        }
        let outcome = binder.bind(Self.binding)
        #expect(
            outcome
                == #"bound 'Resolver Lookup' to operation_seconds{op="resolver.lookup"} (p95): saved to tracker.toml"#
        )
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written.contains("\nname = \"Resolver Lookup\"       # from the seed\nmetric = '"))
        #expect(try Tracker.read(path: path) == binder.current)
        #expect(evaluated.withLockedValue { $0 } == binder.current)
        #expect(binder.current.targets[0].metric == Self.binding.metric)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["tracker.toml"])
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o640)
    }

    @Test("a file edited since it was read is not overwritten: the footer says so and the binding holds in memory")
    func editedFile() throws {
        let (directory, path) = try self.temporaryFile(Self.file)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let binder = TrackerBinder(tracker: try Tracker(toml: Self.file), path: path) { _ in }
        let edited = "[[target]]\nname = \"new first\"\n\n" + Self.file
        try edited.write(toFile: path, atomically: false, encoding: .utf8)
        let outcome = binder.bind(Self.binding)
        #expect(
            outcome == "not saved: \(path): changed since perftop read it; not overwritten; "
                + "'Resolver Lookup' bound in memory only"
        )
        #expect(try String(contentsOfFile: path, encoding: .utf8) == edited)
        #expect(binder.current.targets[0].metric == Self.binding.metric)
    }

    @Test("without a file the binding holds in memory; a failed write says so in one line and still binds")
    func memoryAndFailure() throws {
        let memory = TrackerBinder(tracker: try Tracker(toml: Self.file), path: nil) { _ in }
        #expect(memory.bind(Self.binding).hasSuffix("in memory only (no tracker file)"))
        #expect(memory.current.targets[0].statistic == .p95)

        let (directory, path) = try self.temporaryFile(Self.file)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let failing = TrackerBinder(tracker: try Tracker(toml: Self.file), path: path) { _ in }
        try FileManager.default.removeItem(atPath: directory)
        let outcome = failing.bind(Self.binding)
        #expect(outcome.hasPrefix("not saved: \(path): cannot read the file"), "\(outcome)")
        #expect(!outcome.contains("\n"))
        #expect(failing.current.targets[0].metric == Self.binding.metric)
    }
}
