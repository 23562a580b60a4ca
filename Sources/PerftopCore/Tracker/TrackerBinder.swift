import PerfKit
import Synchronization

/// Applies the dashboard's tracker bindings (``TrackerBinding``): to the tracker in memory, which
/// `evaluate` hands to the rounds at once (``Collector/setTracker(_:)``), and to the tracker file, in
/// place (``Tracker/writeChanges(_:toFile:)``: comments and layout kept, replaced atomically).
///
/// Thread-safe: the tracker is kept under a `Mutex`, and the file is written under it, so two
/// bindings never interleave. ``bind(_:)`` writes a small file and returns; the dashboard calls it
/// from its UI thread.
public final class TrackerBinder: Sendable {
    /// The tracker file, or nil when the tracker has none (e.g. the demo's built-in tracker).
    public let path: String?
    /// The tracker in memory, and the one the file holds (behind it after a failed write).
    private let trackers: Mutex<(current: Tracker, saved: Tracker)>
    private let evaluate: @Sendable (Tracker) -> Void

    /// Creates a binder.
    /// - Parameters:
    ///   - tracker: The tracker as loaded, the file's content when `path` is given.
    ///   - path: The file to write bindings into; nil binds in memory only.
    ///   - evaluate: Receives the tracker after each binding, e.g. ``Collector/setTracker(_:)``.
    public init(tracker: Tracker, path: String?, evaluate: @escaping @Sendable (Tracker) -> Void) {
        self.trackers = Mutex((tracker, tracker))
        self.path = path
        self.evaluate = evaluate
    }

    /// The tracker with every binding so far.
    public var current: Tracker {
        self.trackers.withLockedValue { $0.current }
    }

    /// Binds the target and says what happened in one line for the footer: `bound 'x' to sel (p95):
    /// saved to tracker.toml` (the file's name, so the footer has room for it), `bound … in memory
    /// only (no tracker file)`, or, when the file cannot be written (or was edited since it was
    /// read), `not saved: reason; 'x' bound in memory only`: the binding still applies until
    /// perftop ends, and the next binding that is saved writes it too. A binding whose target is not
    /// in the tracker (it changed since the row was drawn) changes nothing.
    public func bind(_ binding: TrackerBinding) -> String {
        self.trackers.withLockedValue { trackers in
            guard let updated = trackers.current.applying(binding) else {
                return "not bound: no target '\(binding.targetName)' in the tracker"
            }
            let done = "bound '\(binding.targetName)' to \(binding.metric) (\(binding.statistic))"
            var outcome = "\(done) in memory only (no tracker file)"
            if let path = self.path {
                do {
                    try trackers.saved.writeChanges(updated, toFile: path)
                    trackers.saved = updated
                    outcome = "\(done): saved to \(path.split(separator: "/").last.map(String.init) ?? path)"
                } catch {
                    // The reason first: the footer cuts a long notice at its end.
                    outcome = "not saved: \(error); '\(binding.targetName)' bound in memory only"
                }
            }
            trackers.current = updated
            self.evaluate(updated)
            return outcome
        }
    }
}
