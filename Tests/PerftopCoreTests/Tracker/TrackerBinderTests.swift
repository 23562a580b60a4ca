import Foundation
import Synchronization
import Testing

@testable import PerftopCore

@Suite("TrackerBinder")
struct TrackerBinderTests {
    private func temporaryFile(_ text: String) throws -> (directory: String, path: String) {
        let directory = FileManager.default.temporaryDirectory.path + "/perftop-bind-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        let path = directory + "/tracker.toml"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return (directory, path)
    }

    @Test("bind writes the file atomically, keeps its mode, and hands the tracker on")
    func bindToFile() throws {
        let (directory, path) = try self.temporaryFile(TrackerInPlaceTests.file)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        chmod(path, 0o640)
        let evaluated = Mutex<Tracker?>(nil)
        let binder = TrackerBinder(tracker: try Tracker(toml: TrackerInPlaceTests.file), path: path) { tracker in
            evaluated.withLockedValue { $0 = tracker }
        }
        let outcome = binder.bind(TrackerInPlaceTests.binding)
        #expect(
            outcome
                == #"bound 'Resolver Lookup' to operation_seconds{op="resolver.lookup"} (p95): saved to tracker.toml"#
        )
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written.contains("\nname = \"Resolver Lookup\"       # from the seed\nmetric = '"))
        #expect(try Tracker.read(path: path) == binder.current)
        #expect(evaluated.withLockedValue { $0 } == binder.current)
        #expect(binder.current.targets[0].metric == TrackerInPlaceTests.binding.metric)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["tracker.toml"])
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o640)
    }

    @Test("a file edited since it was read is not overwritten: the footer says so and the binding holds in memory")
    func editedFile() throws {
        let (directory, path) = try self.temporaryFile(TrackerInPlaceTests.file)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let binder = TrackerBinder(tracker: try Tracker(toml: TrackerInPlaceTests.file), path: path) { _ in }
        let edited = "[[target]]\nname = \"new first\"\n\n" + TrackerInPlaceTests.file
        try edited.write(toFile: path, atomically: false, encoding: .utf8)
        let outcome = binder.bind(TrackerInPlaceTests.binding)
        #expect(
            outcome == "not saved: \(path): changed since perftop read it; not overwritten; "
                + "'Resolver Lookup' bound in memory only"
        )
        #expect(try String(contentsOfFile: path, encoding: .utf8) == edited)
        #expect(binder.current.targets[0].metric == TrackerInPlaceTests.binding.metric)
    }

    @Test("without a file the binding holds in memory; a failed write says so in one line and still binds")
    func memoryAndFailure() throws {
        let memory = TrackerBinder(tracker: try Tracker(toml: TrackerInPlaceTests.file), path: nil) { _ in }
        #expect(memory.bind(TrackerInPlaceTests.binding).hasSuffix("in memory only (no tracker file)"))
        #expect(memory.current.targets[0].statistic == .p95)

        let (directory, path) = try self.temporaryFile(TrackerInPlaceTests.file)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let failing = TrackerBinder(tracker: try Tracker(toml: TrackerInPlaceTests.file), path: path) { _ in }
        try FileManager.default.removeItem(atPath: directory)
        let outcome = failing.bind(TrackerInPlaceTests.binding)
        #expect(outcome.hasPrefix("not saved: \(path): cannot read the file"), "\(outcome)")
        #expect(!outcome.contains("\n"))
        #expect(failing.current.targets[0].metric == TrackerInPlaceTests.binding.metric)
    }
}
