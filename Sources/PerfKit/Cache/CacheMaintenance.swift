/// Which thread applies a ``Cache``'s buffered reads to its eviction policy.
///
/// A hit on a cache without expiry takes no lock: it writes the entry it read to a small per-thread
/// buffer (16 reads), and the policy learns of the read when the buffer is drained, under the cache's
/// lock. A writer always drains every buffer before it changes the cache. This setting decides who
/// drains a buffer that a reader filled.
public struct CacheMaintenance: Sendable, Hashable, CustomStringConvertible {
    private enum Kind: Sendable, Hashable {
        case callingThread
        case background
    }

    private let kind: Kind

    /// The reader whose buffer filled drains it, on its own thread, unless another reader is draining
    /// (then its read is dropped). The default: the cache uses no thread of its own, and a
    /// single-threaded replay of the same requests makes the same decisions on every run.
    public static let callingThread = Self(kind: .callingThread)

    /// One thread shared by every cache of the process drains the buffers, as Caffeine's maintenance
    /// runs on an executor: a reader never does the policy's bookkeeping. On the benchmark machine a
    /// one-thread hit cost the reader 32–34 ns for W-TinyLFU, LRU and LFU, against 48–107 by default,
    /// while the maintenance thread used much of another core; with no core to spare (two readers on
    /// two cores) reads did not scale (docs/caching.md, "Background maintenance").
    ///
    /// While a drain is pending, reads whose buffer is full are dropped, so the policy sees a sample
    /// of the hits when reads come faster than the thread drains them, and which sample depends on
    /// timing: hit ratios can vary from run to run. Cost: the thread starts on the first drain and
    /// stays; one condition-variable signal per drain, paid by the reader that filled its buffer. The
    /// hit and miss counts stay exact.
    public static let background = Self(kind: .background)

    /// `callingThread` or `background`.
    public var description: String {
        switch self.kind {
        case .callingThread: "callingThread"
        case .background: "background"
        }
    }
}
