import Synchronization

/// A ``Cache``'s key index, which readers can search without the cache's lock: a hash table of
/// chains of immutable nodes, each holding a key, its value and its slot in the cache's state.
///
/// The cache's writers keep the table, under the cache's lock, through ``Writer``: every entry stored,
/// replaced or removed is published here, and writers find a key's slot here too (there is no other
/// index). In a cache without expiry a reader hashes its key, finds the node and copies the value out
/// without the lock. A hit is counted and its slot recorded in the reader's stripe
/// (``ReadStripes``); the policy learns of it when the rings are next drained. A key not found is
/// looked up again under the lock, which counts the miss, so a miss costs what it did before and a
/// key published a moment ago is never missed. A cache with expiry reads under the lock, since a read
/// must check the entry's deadline and may have to evict it.
///
/// **Reclamation.** A node that leaves the table (replaced, removed, evicted) may still be read by a
/// reader that found it a moment before, so it is retired, not freed. Readers register in the
/// current epoch's parity on their stripe; the writer moves to the next epoch only when no reader of
/// the epoch before the current one is left, and then frees the nodes retired two epochs ago,
/// which no registered reader can reach: epoch-based reclamation with per-stripe reader counts.
/// Writers try once ``Writer/reclaimBatch`` nodes are retired, and at once after an explicit
/// removal, so a replaced or evicted value outlives its entry by at most a few dozen writes (the
/// cache's `deinit` frees the rest).
///
/// Memory per entry: one node (the key, the value, a hash, a slot and a link: 48 bytes with
/// malloc's rounding for an `Int` key and value) and 8 to 16 bytes of buckets; the table
/// doubles when it holds as many nodes as buckets.
@usableFromInline
final class CacheReads<Key: Hashable & Sendable, Value: Sendable>: @unchecked Sendable {
    // @unchecked: every stored property is immutable or atomic; readers reach tables and nodes
    // through `tableBits` and touch only their immutable or atomic fields. `Table.ownsNodes` is
    // written only by writers, under the cache's lock, and read in the table's `deinit`.

    /// One published entry, in memory of its own: a plain allocation, not an object, so it has no
    /// header or reference count (an `Int` key and value fit malloc's 48-byte size class, not 64).
    /// Immutable but for `next`, which the writer relinks.
    @usableFromInline struct Node: ~Copyable {
        @usableFromInline let key: Key
        @usableFromInline let value: Value
        @usableFromInline let hash: UInt64
        /// The entry's slot in the cache's state, which the policy's read buffer records.
        @usableFromInline let slot: Int
        /// The next node in the bucket's chain, as a ``NodeReference``'s bits; 0 at the end.
        @usableFromInline let next: Atomic<UInt>

        @usableFromInline init(key: Key, value: Value, hash: UInt64, slot: Int) {
            self.key = key
            self.value = value
            self.hash = hash
            self.slot = slot
            self.next = Atomic(0)
        }
    }

    /// The address of a ``Node``: what buckets, chains, entry records and the retired lists hold.
    ///
    /// A node is allocated by ``make(key:value:hash:slot:)`` when a writer publishes it and freed by
    /// ``free()`` when the writer's reclamation finds no reader that could still hold it.
    @usableFromInline struct NodeReference: @unchecked Sendable {
        // @unchecked: a plain address. The node's fields are immutable but for the atomic `next`,
        // and only the writer, under the cache's lock, frees it, once no reader can reach it.
        @usableFromInline let pointer: UnsafeMutablePointer<Node>

        @inlinable init(pointer: UnsafeMutablePointer<Node>) {
            self.pointer = pointer
        }

        @inlinable init(bits: UInt) {
            self.pointer = UnsafeMutablePointer(bitPattern: bits).unsafelyUnwrapped
        }

        /// Allocates and fills a node.
        @inlinable static func make(key: Key, value: Value, hash: UInt64, slot: Int) -> NodeReference {
            let pointer = UnsafeMutablePointer<Node>.allocate(capacity: 1)
            pointer.initialize(to: Node(key: key, value: value, hash: hash, slot: slot))
            return NodeReference(pointer: pointer)
        }

        /// Releases the node's key and value and its memory.
        @inlinable func free() {
            self.pointer.deinitialize(count: 1)
            self.pointer.deallocate()
        }

        /// Whether the node holds `key`, whose hash is `hash`: the hashes are compared first, so
        /// another key in the chain rarely costs a key comparison. For readers and writers alike.
        @inlinable func holds(_ key: Key, hash: UInt64) -> Bool {
            self.pointer.pointee.hash == hash && self.pointer.pointee.key == key
        }

        @inlinable var bits: UInt { UInt(bitPattern: self.pointer) }
        @inlinable var key: Key { self.pointer.pointee.key }
        @inlinable var value: Value { self.pointer.pointee.value }
        @inlinable var hash: UInt64 { self.pointer.pointee.hash }
        @inlinable var slot: Int { self.pointer.pointee.slot }
    }

    /// The buckets: each the first node of a chain, as ``NodeReference`` bits, or 0.
    @usableFromInline final class Table: @unchecked Sendable {
        // @unchecked: the buckets are a raw pointer allocated in `init` and freed in `deinit`; every
        // bucket is an `Atomic`.
        @usableFromInline let buckets: UnsafeMutablePointer<Atomic<UInt>>
        @usableFromInline let mask: Int
        /// Whether the table owns its nodes, to free when it goes; false once its nodes moved to a
        /// bigger table or were retired one by one.
        @usableFromInline var ownsNodes = true

        @usableFromInline init(count: Int) {
            self.buckets = UnsafeMutablePointer<Atomic<UInt>>.allocate(capacity: count)
            for bucket in 0..<count {
                (self.buckets + bucket).initialize(to: Atomic(0))
            }
            self.mask = count - 1
        }

        deinit {
            if self.ownsNodes {
                self.forEachNode { $0.free() }
            }
            self.buckets.deinitialize(count: self.mask + 1)
            self.buckets.deallocate()
        }

        @inlinable func bucket(of hash: UInt64) -> Int {
            Int(truncatingIfNeeded: hash) & self.mask
        }

        /// The node of `key`, whose hash is `hash`, or `nil`: readers and writers search alike.
        /// O(1) on average, a chain holding one node on average.
        @inlinable func node(of key: Key, hash: UInt64) -> NodeReference? {
            var bits = self.buckets[self.bucket(of: hash)].load(ordering: .acquiring)
            while bits != 0 {
                let node = NodeReference(bits: bits)
                if node.holds(key, hash: hash) {
                    return node
                }
                bits = node.pointer.pointee.next.load(ordering: .acquiring)
            }
            return nil
        }

        func forEachNode(_ body: (NodeReference) -> Void) {
            for bucket in 0...self.mask {
                var bits = self.buckets[bucket].load(ordering: .relaxed)
                while bits != 0 {
                    let node = NodeReference(bits: bits)
                    bits = node.pointer.pointee.next.load(ordering: .relaxed)
                    body(node)
                }
            }
        }
    }

    @inlinable static var initialBuckets: Int { 16 }

    @usableFromInline let stripes: ReadStripes
    @usableFromInline let seed: UInt64
    /// The current ``Table``'s `Unmanaged` bits; the ``Writer``'s `table` keeps it alive.
    @usableFromInline let tableBits = Atomic<UInt>(0)

    /// Whether readers use the table without the lock: not when the cache expires entries.
    @usableFromInline let isLockFree: Bool
    /// Whether hits are recorded for the policy: not under FIFO, which ignores reads.
    @usableFromInline let recordsReads: Bool

    init(seed: UInt64, isLockFree: Bool, recordsReads: Bool) {
        self.seed = seed
        self.isLockFree = isLockFree
        self.recordsReads = recordsReads
        self.stripes = ReadStripes(count: isLockFree ? nil : 1)
    }

    // MARK: - Reading

    /// The value of `key` and its slot if the table holds it, counting the hit and recording the slot
    /// for the policy; `nil` otherwise, counting nothing (the caller looks again under the lock).
    /// `fullStripe` is the reader's stripe when its ring is full: the caller drains it unless another
    /// reader is draining. Cost: one hash, a chain of one node on average, and the stripe's two atomic
    /// additions.
    @inlinable func value(forKey key: Key) -> (value: Value, fullStripe: Int?)? {
        let hash = FrequencySketch.hash(of: key, seed: self.seed)
        let (stripe, parity) = self.stripes.enter()
        let found = Self.unmanagedTable(self.tableBits.load(ordering: .acquiring))._withUnsafeGuaranteedRef {
            $0.node(of: key, hash: hash).map { (value: $0.value, slot: $0.slot) }
        }
        self.stripes.leave(stripe: stripe, parity: parity, hit: found != nil)
        guard let found else {
            return nil
        }
        guard self.recordsReads else {
            return (found.value, nil)
        }
        return (found.value, self.stripes.record(slot: found.slot, stripe: stripe) ? stripe : nil)
    }

    // MARK: - Bits

    @inlinable static func unmanagedTable(_ bits: UInt) -> Unmanaged<Table> {
        Unmanaged.fromOpaque(UnsafeRawPointer(bitPattern: bits).unsafelyUnwrapped)
    }

    @inlinable static func bits(of table: Table) -> UInt {
        UInt(bitPattern: Unmanaged.passUnretained(table).toOpaque())
    }
}
