import Synchronization

extension CacheReads {
    /// The writers' side of ``CacheReads``, and the cache's key index: finds the slot of a key,
    /// publishes what the cache stores and retires what leaves.
    ///
    /// Lives in the cache's state, so it is only used under the cache's lock (and a struct's fields,
    /// unlike a class's, need no run-time exclusivity checks).
    @usableFromInline
    struct Writer: Sendable {
        @usableFromInline let reads: CacheReads
        /// The current table, which `reads.tableBits` points at.
        @usableFromInline var table: Table
        /// Nodes in the table.
        @usableFromInline var count = 0
        /// Nodes that left during the current epoch, each holding the reference the table held.
        @usableFromInline var retiredNow: [Unmanaged<Node>] = []
        /// Nodes that left during the epoch before.
        @usableFromInline var retiredBefore: [Unmanaged<Node>] = []
        /// Tables that were replaced during the current epoch.
        @usableFromInline var retiredTablesNow: [Table] = []
        /// Tables that were replaced during the epoch before.
        @usableFromInline var retiredTablesBefore: [Table] = []

        init(reads: CacheReads) {
            // Reserved once, so that retiring never allocates in steady state.
            self.retiredNow.reserveCapacity(2 * Self.reclaimBatch)
            self.retiredBefore.reserveCapacity(2 * Self.reclaimBatch)
            self.reads = reads
            self.table = Table(count: CacheReads.initialBuckets)
            reads.tableBits.store(CacheReads.bits(of: self.table), ordering: .releasing)
        }

        /// The hash the table files `key` under: the cache's sketch hash (``FrequencySketch/hash(of:)``
        /// with the same seed).
        @inlinable func hash(of key: Key) -> UInt64 {
            FrequencySketch.hash(of: key, seed: self.reads.seed)
        }

        /// The slot of `key`, whose hash is `hash`, or `nil` when the cache does not hold it.
        /// O(1) on average: a chain holds one node on average.
        @inlinable func slot(of key: Key, hash: UInt64) -> Int? {
            self.table.node(of: key, hash: hash)?._withUnsafeGuaranteedRef { $0.slot }
        }

        /// Publishes a key the table does not hold and returns its node, which the table keeps alive
        /// until the key leaves. O(1) amortised: the table doubles, in O(count), when it holds as many
        /// nodes as buckets.
        @inlinable mutating func insert(key: Key, hash: UInt64, value: Value, slot: Int) -> Unmanaged<Node> {
            if self.count > self.table.mask {
                self.grow()
            }
            let node = Unmanaged.passRetained(Node(key: key, value: value, hash: hash, slot: slot))
            let bucket = self.table.buckets + self.table.bucket(of: hash)
            node._withUnsafeGuaranteedRef { $0.next.store(bucket.pointee.load(ordering: .relaxed), ordering: .relaxed) }
            bucket.pointee.store(CacheReads.bits(of: node), ordering: .releasing)
            self.count += 1
            return node
        }

        /// Publishes a new value for a key the table holds, retiring the old node, and returns the new
        /// node.
        @inlinable mutating func replace(key: Key, hash: UInt64, value: Value, slot: Int) -> Unmanaged<Node> {
            let node = Unmanaged.passRetained(Node(key: key, value: value, hash: hash, slot: slot))
            self.unlink(key: key, hash: hash) { old in
                node._withUnsafeGuaranteedRef { $0.next.store(old.next.load(ordering: .relaxed), ordering: .relaxed) }
                return CacheReads.bits(of: node)
            }
            return node
        }

        /// Withdraws a key the table holds, retiring its node.
        @inlinable mutating func remove(key: Key, hash: UInt64) {
            self.unlink(key: key, hash: hash) { old in
                old.next.load(ordering: .relaxed)
            }
            self.count -= 1
        }

        /// Withdraws every key, retiring the table and its nodes. O(count).
        @usableFromInline mutating func removeAll() {
            let old = self.table
            old.forEachNode { self.retiredNow.append($0) }
            old.ownsNodes = false
            self.table = Table(count: CacheReads.initialBuckets)
            self.reads.tableBits.store(CacheReads.bits(of: self.table), ordering: .releasing)
            self.count = 0
            self.retiredTablesNow.append(old)
        }

        /// The number of retired nodes that makes a write try to release them; an explicit removal
        /// tries at once.
        @inlinable static var reclaimBatch: Int { 32 }

        /// Releases what no reader can reach any more: moves to the next epoch, up to twice, while
        /// no reader of the epoch before the current one is left. Tries once ``reclaimBatch`` nodes
        /// are retired, or whenever `now` is set; O(stripes + nodes released), amortised O(1) per
        /// write. Call after every write.
        @inlinable mutating func reclaim(now: Bool = false) {
            let retired =
                self.retiredNow.count + self.retiredBefore.count + self.retiredTablesNow.count
                + self.retiredTablesBefore.count
            guard retired >= Self.reclaimBatch || (now && retired > 0) else {
                return
            }
            for _ in 0..<2 {
                let epoch = self.reads.stripes.epoch.load(ordering: .relaxed)
                guard !self.reads.stripes.hasReaders(parity: Int((epoch &+ 1) & 1)) else {
                    return
                }
                for node in self.retiredBefore {
                    node.release()
                }
                self.retiredBefore.removeAll(keepingCapacity: true)
                swap(&self.retiredBefore, &self.retiredNow)
                self.retiredTablesBefore = self.retiredTablesNow
                self.retiredTablesNow = []
                self.reads.stripes.epoch.store(epoch &+ 1, ordering: .sequentiallyConsistent)
            }
        }

        /// Releases every retired node at once; for the cache's `deinit`, when no reader is left.
        mutating func releaseRetired() {
            for node in self.retiredNow + self.retiredBefore {
                node.release()
            }
            self.retiredNow = []
            self.retiredBefore = []
        }

        /// Replaces the node of `key` in its chain by the bits `replacement` returns for it (its
        /// successor, to unlink it), and retires it.
        @inlinable mutating func unlink(key: Key, hash: UInt64, replacement: (Node) -> UInt) {
            let bucket = self.table.buckets + self.table.bucket(of: hash)
            var previous: Unmanaged<Node>? = nil
            var bits = bucket.pointee.load(ordering: .relaxed)
            while bits != 0 {
                let node = CacheReads.unmanagedNode(bits)
                let (isMatch, next) = node._withUnsafeGuaranteedRef {
                    ($0.hash == hash && $0.key == key, $0.next.load(ordering: .relaxed))
                }
                if isMatch {
                    let newBits = node._withUnsafeGuaranteedRef(replacement)
                    if let previous {
                        previous._withUnsafeGuaranteedRef { $0.next.store(newBits, ordering: .releasing) }
                    } else {
                        bucket.pointee.store(newBits, ordering: .releasing)
                    }
                    self.retiredNow.append(node)
                    return
                }
                previous = node
                bits = next
            }
            preconditionFailure("CacheReads: a key the cache holds is missing from the read table")
        }

        /// Moves every node to a table twice the size. A reader still searching the old table may
        /// miss a key while its chain is relinked; it then looks again under the lock, so nothing is
        /// lost.
        @usableFromInline mutating func grow() {
            let old = self.table
            let new = Table(count: 2 * (old.mask + 1))
            old.forEachNode { node in
                node._withUnsafeGuaranteedRef { node in
                    let target = new.buckets + new.bucket(of: node.hash)
                    node.next.store(target.pointee.load(ordering: .relaxed), ordering: .releasing)
                }
                new.buckets[new.bucket(of: node._withUnsafeGuaranteedRef { $0.hash })]
                    .store(CacheReads.bits(of: node), ordering: .relaxed)
            }
            old.ownsNodes = false
            self.table = new
            self.reads.tableBits.store(CacheReads.bits(of: new), ordering: .releasing)
            self.retiredTablesNow.append(old)
        }
    }
}
