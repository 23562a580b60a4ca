import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The per-thread side of a ``Cache``'s lock-free reads: who is reading (for reclaiming replaced
/// entries safely), how many reads hit, and which entries were read, in stripes that threads write
/// without sharing cache lines.
///
/// Each thread reads through one stripe, chosen round-robin when the thread first reads any cache, so
/// two threads write different stripes until there are more threads than stripes. A stripe holds:
///
/// - two reader words, one per epoch parity: the low 16 bits count the readers inside a read, the
///   rest count the hits they found. A read adds 1 on entry and `2^16 - 1` on leaving with a hit, so
///   entering, leaving and counting the hit cost two atomic additions on a line only that thread
///   writes. ``hits`` sums the words; ``hasReaders(parity:)`` tells the writer when no reader of an
///   epoch is left (see ``CacheReads``).
/// - a ring of 16 read slots, the policy's read buffer: a hit writes its slot there with a plain
///   store. Every writer drains all rings into the policy before it changes the cache. A reader that
///   fills its ring drains it, unless another reader is already draining: then the read is dropped
///   (the policy misses one access; the hit is counted all the same), as with Caffeine's read
///   buffers, so under contention the policy samples the reads instead of serialising them.
///
/// Memory: 256 bytes per stripe and 4 stripes per available core, rounded up to a power of two,
/// from 4 to 64. Cost of a read: two atomic additions, two loads and two stores, all on the thread's
/// own stripe, plus two loads of the shared epoch, which only writers change.
@usableFromInline
final class ReadStripes: @unchecked Sendable {
    // @unchecked: the stripes are reached through a raw pointer that is allocated once in `init`, freed
    // in `deinit` and otherwise only read; every field a stripe holds is an `Atomic`.

    /// One thread's stripe: 256 bytes, the last 96 of them padding, so that what two threads write
    /// never shares a 64-byte cache line, however the stripes are aligned.
    @usableFromInline struct Stripe: ~Copyable {
        /// Per epoch parity, even then odd: the readers inside a read that entered in an epoch of that
        /// parity (low 16 bits) and the hits they counted (above).
        @usableFromInline let readers: InlineArray<2, Atomic<UInt64>> = InlineArray { _ in Atomic(0) }
        /// How many slots readers have written to the ring, ever; the next one goes at `tail % 16`.
        @usableFromInline let tail = Atomic<Int>(0)
        /// How many slots the drain has taken from the ring, ever.
        @usableFromInline let head = Atomic<Int>(0)
        /// The read slots, each an entry's slot plus one; zero once drained.
        @usableFromInline let ring: InlineArray<16, Atomic<Int>> = InlineArray { _ in Atomic(0) }
        /// Fills the stripe to 256 bytes.
        let padding: InlineArray<12, UInt64> = InlineArray(repeating: 0)

    }

    @inlinable static var ringSize: Int { 16 }
    @inlinable static var readerMask: UInt64 { 0xFFFF }
    @inlinable static var hitUnit: UInt64 { 1 << 16 }

    @usableFromInline let stripes: UnsafeMutablePointer<Stripe>
    @usableFromInline let stripeMask: Int
    /// The reclamation epoch; see ``CacheReads``. Readers load it, only the writer advances it.
    @usableFromInline let epoch = Atomic<UInt64>(0)
    /// Whether a reader has volunteered to drain the rings, alone in its cache line: a reader whose
    /// ring is full reads it, and while it is set drops its read rather than wait.
    @usableFromInline let drainFlag: UnsafeMutablePointer<Atomic<Bool>>

    /// 4 stripes per core online when the process first created a cache, rounded up to a power of
    /// two, from 4 to 64: read once, so that creating a cache reads no system file.
    static let countByCores: Int = {
        var count = 4
        while count < min(64, 4 * Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) {
            count <<= 1
        }
        return count
    }()

    /// Creates `count` stripes, a power of two; ``countByCores`` by default.
    init(count: Int? = nil) {
        let count = count ?? Self.countByCores
        self.stripeMask = count - 1
        self.drainFlag = UnsafeMutableRawPointer.allocate(byteCount: 128, alignment: 128)
            .bindMemory(to: Atomic<Bool>.self, capacity: 1)
        self.drainFlag.initialize(to: Atomic(false))
        self.stripes = UnsafeMutablePointer<Stripe>.allocate(capacity: count)
        for index in 0..<count {
            (self.stripes + index).initialize(to: Stripe())
        }
    }

    deinit {
        self.stripes.deinitialize(count: self.stripeMask + 1)
        self.stripes.deallocate()
        self.drainFlag.deinitialize(count: 1)
        UnsafeMutableRawPointer(self.drainFlag).deallocate()
    }

    // MARK: - Readers

    /// Registers a read in the current epoch on this thread's stripe and returns the stripe and the
    /// epoch's parity, for ``leave(stripe:parity:hit:)``.
    ///
    /// The epoch is loaded again after the registration: a read that registered in an epoch that had
    /// already ended withdraws and registers again, so that a writer that saw no reader of an epoch
    /// can be sure none will appear.
    @inlinable func enter() -> (stripe: Int, parity: Int) {
        let stripe = ThreadStripe.index & self.stripeMask
        while true {
            let epoch = self.epoch.load(ordering: .sequentiallyConsistent)
            let parity = Int(epoch & 1)
            self.stripes[stripe].readers[parity].wrappingAdd(1, ordering: .sequentiallyConsistent)
            if self.epoch.load(ordering: .sequentiallyConsistent) == epoch {
                return (stripe, parity)
            }
            self.stripes[stripe].readers[parity].wrappingSubtract(1, ordering: .releasing)
        }
    }

    /// Ends a read that ``enter()`` registered, counting a hit if it found its key.
    @inlinable func leave(stripe: Int, parity: Int, hit: Bool) {
        self.stripes[stripe].readers[parity].wrappingAdd(
            hit ? Self.hitUnit &- 1 : 0 &- 1,
            ordering: .releasing
        )
    }

    /// Writes the slot a hit read to the stripe's ring, unless the ring is full, and returns whether
    /// the ring is now full, so the reader should try to drain.
    @inlinable func record(slot: Int, stripe: Int) -> Bool {
        let tail = self.stripes[stripe].tail.load(ordering: .relaxed)
        let used = tail &- self.stripes[stripe].head.load(ordering: .acquiring)
        guard used < Self.ringSize else {
            return true
        }
        self.stripes[stripe].ring[tail & (Self.ringSize - 1)].store(slot + 1, ordering: .releasing)
        self.stripes[stripe].tail.store(tail &+ 1, ordering: .releasing)
        return used + 1 >= Self.ringSize
    }

    /// Volunteers this reader to drain the rings, and returns whether it may: `false` when another
    /// reader is draining, which costs one load of a line that changes twice per drain. A reader that
    /// may drain takes the cache's lock, drains, and calls ``endDrain()``.
    @inlinable func beginDrain() -> Bool {
        !self.drainFlag.pointee.load(ordering: .relaxed)
            && self.drainFlag.pointee.compareExchange(
                expected: false,
                desired: true,
                ordering: .acquiring
            ).exchanged
    }

    /// Ends a drain that ``beginDrain()`` allowed.
    @inlinable func endDrain() {
        self.drainFlag.pointee.store(false, ordering: .releasing)
    }

    // MARK: - Writer

    /// Whether a read that entered in an epoch of the given parity may still be running.
    /// O(stripes).
    @usableFromInline func hasReaders(parity: Int) -> Bool {
        (0...self.stripeMask).contains {
            self.stripes[$0].readers[parity].load(ordering: .sequentiallyConsistent) & Self.readerMask != 0
        }
    }

    /// Every hit counted by reads that left, over all stripes. O(stripes).
    @usableFromInline var hits: Int {
        var hits: UInt64 = 0
        for stripe in 0...self.stripeMask {
            hits &+= self.stripes[stripe].readers[0].load(ordering: .relaxed) >> 16
            hits &+= self.stripes[stripe].readers[1].load(ordering: .relaxed) >> 16
        }
        return Int(truncatingIfNeeded: hits)
    }

    /// Hands `body` every slot recorded since the last drain in one stripe's ring, or in every ring
    /// when `stripe` is `nil`, oldest first per ring, and empties them. Call with the cache's lock
    /// held. O(stripes drained + slots).
    @inlinable func drain(stripe: Int?, _ body: (Int) -> Void) {
        for stripe in stripe.map({ $0...$0 }) ?? 0...self.stripeMask {
            let start = self.stripes[stripe].head.load(ordering: .relaxed)
            let tail = self.stripes[stripe].tail.load(ordering: .acquiring)
            var head = start
            while head != tail {
                let position = head & (Self.ringSize - 1)
                let slot = self.stripes[stripe].ring[position].load(ordering: .acquiring)
                guard slot != 0 else {
                    // A reader that shares the stripe has moved the tail but not yet written its
                    // slot: leave the rest for the next drain.
                    break
                }
                // A plain store, not an exchange: a slot another reader of the stripe writes in
                // between is lost, which a lossy buffer allows.
                self.stripes[stripe].ring[position].store(0, ordering: .relaxed)
                body(slot - 1)
                head &+= 1
            }
            if head != start {
                self.stripes[stripe].head.store(head, ordering: .releasing)
            }
        }
    }
}

// MARK: - Thread index

/// A small number per thread, handed out round-robin on first use, that picks the thread's
/// ``ReadStripes/Stripe`` in every cache.
@usableFromInline
enum ThreadStripe {
    static let key: pthread_key_t = {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "pthread_key_create failed")
        return key
    }()
    static let next = Atomic<Int>(0)

    /// This thread's number. Cost: one `pthread_getspecific`.
    @usableFromInline static var index: Int {
        if let stored = pthread_getspecific(Self.key) {
            return Int(bitPattern: stored) - 1
        }
        let index = Self.next.wrappingAdd(1, ordering: .relaxed).oldValue & 0xFFFF
        pthread_setspecific(Self.key, UnsafeRawPointer(bitPattern: index + 1))
        return index
    }
}
