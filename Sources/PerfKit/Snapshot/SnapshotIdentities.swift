/// The sample identities of the last snapshot line a client decoded from one agent, kept so that the
/// agent's next line reads each repeated sample as a byte comparison and a number: pass the same value
/// to ``Snapshot/decode(jsonBytes:identities:)`` poll after poll (one per agent).
///
/// An agent sends the same samples poll after poll, in the same order, with only their values
/// changed: `{"kind":"counter","labels":{"cache":"users"},"name":"cache_hits_total","value":` is the
/// same bytes every time. For each plain sample whose `value` member came last, this keeps a copy of
/// the bytes from its `{` to its value and the name, labels and kind read from them. When the next
/// line has exactly those bytes at the start of the sample in the same place, the reader takes them
/// as read and parses only the value and the closing brace; anything else (a new
/// or moved sample, other spacing, a member after the value) is read in full as before. Reading the
/// same bytes from the same state gives the same result, so a snapshot decoded with identities is the
/// snapshot decoded without them, or the same error (the tests and the `FuzzSnapshot` target check it).
///
/// Bounds: it holds at most one line's bytes (the caller bounds its length) and one entry per sample
/// of it; the names and labels share their storage with the samples decoded from it. Cost: a repeated
/// sample costs a `memcmp` of its bytes up to the value and the value's parse, instead of its strings,
/// its labels' dictionary and its kind. Keeping a line's identities copies their bytes once, unless
/// every sample of the line repeated the previous line's: it then keeps the previous identities,
/// which are the same, without copying or counting a reference for each.
public struct SnapshotIdentities: Sendable {
    /// One sample's identity: where its bytes up to the value are in ``prefixes``, and what they read as.
    struct Entry: Sendable {
        let prefix: Range<Int>
        let name: String
        let labels: [String: String]
        let kind: Sample.Kind
    }

    /// The entries' prefixes, one after another; each entry's ``Entry/prefix`` is its range here.
    let prefixes: [UInt8]
    /// The entries, by the sample's index in the line's `samples`; nil where a sample's bytes up to
    /// its value were not kept (its value was not its last member).
    let entries: [Entry?]

    /// No identities yet: the first line is read in full.
    public init() {
        self.prefixes = []
        self.entries = []
    }

    /// The identities `entries` read from `line`, keeping only their prefixes' bytes, one after another
    /// in an array of their size: not the line, whose array can hold twice its bytes (it grew as the
    /// answer arrived) and whose values are of no use to the next line.
    init(keepingPrefixesOf line: [UInt8], entries: [Entry?]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(entries.reduce(0) { $0 + ($1?.prefix.count ?? 0) })
        var kept: [Entry?] = []
        kept.reserveCapacity(entries.count)
        for entry in entries {
            guard let entry else {
                kept.append(nil)
                continue
            }
            let start = bytes.count
            bytes.append(contentsOf: line[entry.prefix])
            kept.append(Entry(prefix: start..<bytes.count, name: entry.name, labels: entry.labels, kind: entry.kind))
        }
        self.prefixes = bytes
        self.entries = kept
    }

    /// The entry kept for the sample at `index` of `samples`, if any.
    func entry(at index: Int) -> Entry? {
        index < self.entries.count ? self.entries[index] : nil
    }
}
