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
        /// Nodes that left during the current epoch, to free once no reader can hold them.
        @usableFromInline var retiredNow: [NodeReference] = []
        /// Nodes that left during the epoch before.
        @usableFromInline var retiredBefore: [NodeReference] = []
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
            self.table.node(of: key, hash: hash)?.slot
        }

        /// Publishes a key the table does not hold and returns its node, which stays allocated until
        /// the key leaves. O(1) amortised: the table doubles, in O(count), when it holds as many
        /// nodes as buckets.
        @inlinable mutating func insert(key: Key, hash: UInt64, value: Value, slot: Int) -> NodeReference {
            if self.count > self.table.mask {
                self.grow()
            }
            let node = NodeReference.make(key: key, value: value, hash: hash, slot: slot)
            let bucket = self.table.buckets + self.table.bucket(of: hash)
            node.pointer.pointee.next.store(bucket.pointee.load(ordering: .relaxed), ordering: .relaxed)
            bucket.pointee.store(node.bits, ordering: .releasing)
            self.count += 1
            return node
        }

        /// Publishes a new value for a key the table holds, retiring the old node, and returns the new
        /// node.
        @inlinable mutating func replace(key: Key, hash: UInt64, value: Value, slot: Int) -> NodeReference {
            let node = NodeReference.make(key: key, value: value, hash: hash, slot: slot)
            self.unlink(key: key, hash: hash) { old in
                node.pointer.pointee.next.store(old.pointer.pointee.next.load(ordering: .relaxed), ordering: .relaxed)
                return node.bits
            }
            return node
        }

        /// Withdraws a key the table holds, retiring its node.
        @inlinable mutating func remove(key: Key, hash: UInt64) {
            self.unlink(key: key, hash: hash) { old in
                old.pointer.pointee.next.load(ordering: .relaxed)
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

        /// Frees what no reader can reach any more: moves to the next epoch, up to twice, while
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
                    node.free()
                }
                self.retiredBefore.removeAll(keepingCapacity: true)
                swap(&self.retiredBefore, &self.retiredNow)
                self.retiredTablesBefore = self.retiredTablesNow
                self.retiredTablesNow = []
                self.reads.stripes.epoch.store(epoch &+ 1, ordering: .sequentiallyConsistent)
            }
        }

        /// Frees every retired node at once; for the cache's `deinit`, when no reader is left.
        mutating func freeRetired() {
            for node in self.retiredNow + self.retiredBefore {
                node.free()
            }
            self.retiredNow = []
            self.retiredBefore = []
        }

        /// Replaces the node of `key` in its chain by the bits `replacement` returns for it (its
        /// successor, to unlink it), and retires it.
        @inlinable mutating func unlink(key: Key, hash: UInt64, replacement: (NodeReference) -> UInt) {
            let bucket = self.table.buckets + self.table.bucket(of: hash)
            var previous: NodeReference? = nil
            var bits = bucket.pointee.load(ordering: .relaxed)
            while bits != 0 {
                let node = NodeReference(bits: bits)
                let next = node.pointer.pointee.next.load(ordering: .relaxed)
                if node.holds(key, hash: hash) {
                    let newBits = replacement(node)
                    if let previous {
                        previous.pointer.pointee.next.store(newBits, ordering: .releasing)
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
                let target = new.buckets + new.bucket(of: node.hash)
                node.pointer.pointee.next.store(target.pointee.load(ordering: .relaxed), ordering: .releasing)
                target.pointee.store(node.bits, ordering: .relaxed)
            }
            old.ownsNodes = false
            self.table = new
            self.reads.tableBits.store(CacheReads.bits(of: new), ordering: .releasing)
            self.retiredTablesNow.append(old)
        }
    }
}
