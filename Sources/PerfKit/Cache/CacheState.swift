// MARK: - Configuration

/// What a ``Cache`` was built with: its bounds, policy, weigher and expiry.
@usableFromInline
struct CacheConfiguration<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    @usableFromInline var capacity: Int
    @usableFromInline var maximumWeight: Int
    @usableFromInline var weigher: (@Sendable (Key, Value) -> Int)?
    @usableFromInline var policy: CachePolicy
    @usableFromInline var timeToLive: Duration?
    @usableFromInline var timeToIdle: Duration?
    @usableFromInline var elapsed: @Sendable () -> Duration
    /// The seed of the W-TinyLFU sketch's hash: fixed per cache name, so runs repeat.
    @usableFromInline var sketchSeed: UInt64
}

/// A bound on a list of slots, by entry count and by weight.
@usableFromInline
struct CacheBudget: Sendable {
    @usableFromInline var count: Int
    @usableFromInline var weight: Int

    /// The budget that is `percent` of `total`, rounded down but at least 1 when `total` is bounded.
    init(percent: Int, of total: CacheBudget) {
        self.count = Self.fraction(percent, of: total.count)
        self.weight = Self.fraction(percent, of: total.weight)
    }

    init(count: Int, weight: Int) {
        self.count = count
        self.weight = weight
    }

    /// Whether `list` holds more entries or more weight than the budget allows.
    @inlinable func isExceeded(by list: CacheList) -> Bool {
        list.count > self.count || list.weight > self.weight
    }

    private static func fraction(_ percent: Int, of bound: Int) -> Int {
        bound == .max ? .max : max(1, bound / 100 * percent + bound % 100 * percent / 100)
    }
}

// MARK: - State

/// The mutable part of a ``Cache``: the key index, the slots, the policy's lists and the counters.
///
/// Only ever accessed under the cache's mutex. Every policy orders slots in `queues` through
/// `policyLinks`: LRU, LFU and FIFO use the primary queue only (front = kept longest, back = next
/// victim); W-TinyLFU uses the primary queue as its window plus the probation and protected queues.
/// Expiry keeps separate write-order and access-order lists, so expired entries are found in O(1).
@usableFromInline
struct CacheState<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    /// One cached entry: 48 bytes whatever the key and value (the optional's tag included), since a
    /// cache of a million entries pays for every field a million times. The key and value live in
    /// the entry's node in the key index, which readers without the lock share; fields only some
    /// policies use share storage, and times are kept in nanoseconds.
    @usableFromInline struct Entry: Sendable {
        /// The entry's node in the key index, which holds its key and value; the index frees it
        /// only after the entry left the cache.
        @usableFromInline var node: CacheReads<Key, Value>.NodeReference
        @usableFromInline var weight: Int
        /// ``frequency`` under LFU, ``sketchHash`` under W-TinyLFU, zero under other policies.
        @usableFromInline var policyWord: UInt64
        @usableFromInline var writtenAtNanoseconds: Int64
        @usableFromInline var accessedAtNanoseconds: Int64
        @usableFromInline var queueIndex: UInt8

        @inlinable
        init(
            node: CacheReads<Key, Value>.NodeReference,
            weight: Int,
            queue: Int,
            policyWord: UInt64,
            writtenAtNanoseconds: Int64
        ) {
            self.node = node
            self.weight = weight
            self.policyWord = policyWord
            self.writtenAtNanoseconds = writtenAtNanoseconds
            self.accessedAtNanoseconds = writtenAtNanoseconds
            self.queueIndex = UInt8(queue)
        }

        @inlinable var key: Key {
            self.node.key
        }

        @inlinable var value: Value {
            self.node.value
        }

        /// The queue holding the entry: ``CacheState/primary``, ``CacheState/probation`` or
        /// ``CacheState/protected``.
        @inlinable var queue: Int {
            get { Int(self.queueIndex) }
            set { self.queueIndex = UInt8(newValue) }
        }

        /// Under LFU, how often the entry was read or written since it was stored.
        @inlinable var frequency: Int {
            get { Int(self.policyWord) }
            set { self.policyWord = UInt64(newValue) }
        }

        /// Under W-TinyLFU, the key's ``FrequencySketch/hash(of:)``.
        @inlinable var sketchHash: UInt64 { self.policyWord }

        /// When the entry was last written, relative to the cache's creation.
        @inlinable var writtenAt: Duration { .nanoseconds(self.writtenAtNanoseconds) }

        /// When the entry was last read or written, relative to the cache's creation.
        @inlinable var accessedAt: Duration { .nanoseconds(self.accessedAtNanoseconds) }
    }

    @inlinable static var primary: Int { 0 }
    @inlinable static var probation: Int { 1 }
    @inlinable static var protected: Int { 2 }

    @usableFromInline let configuration: CacheConfiguration<Key, Value>
    @usableFromInline let total: CacheBudget
    @usableFromInline var window: CacheBudget
    @usableFromInline var protectedBudget: CacheBudget

    @usableFromInline var entries: [Entry?] = []
    @usableFromInline var freeSlots: [Int] = []
    @usableFromInline var policyLinks = CacheLinks()
    @usableFromInline var queues = [CacheList](repeating: CacheList(), count: 3)
    @usableFromInline var writeLinks = CacheLinks()
    @usableFromInline var writeOrder = CacheList()
    @usableFromInline var accessLinks = CacheLinks()
    @usableFromInline var accessOrder = CacheList()
    @usableFromInline var frequencyFronts: [Int: Int] = [:]
    @usableFromInline var sketch: FrequencySketch?
    /// Sizes W-TinyLFU's window from simulations of sampled reads; `nil` for other policies, caches
    /// bounded by weight and caches below ``AdaptiveWindow/minimumCapacity``.
    @usableFromInline var adaptiveWindow: AdaptiveWindow?
    /// Counts every read of a cache with an adaptive window; `nil` when ``adaptiveWindow`` is.
    @usableFromInline var readTally: AdaptiveWindow.ReadTally?
    @usableFromInline var weight = 0
    /// When the clock was last read, relative to the cache's creation; read once per operation when
    /// expiry is configured, and on writes once write times are recorded for refresh-ahead.
    @usableFromInline var now = Duration.zero {
        didSet { self.nowNanoseconds = self.now.nanoseconds }
    }
    /// ``now`` in nanoseconds, as entries keep their times.
    @usableFromInline var nowNanoseconds: Int64 = 0
    /// Whether writes read the clock even without expiry, set once a ``LoadingCache`` refreshes ahead.
    @usableFromInline var recordsWriteTimes = false
    @usableFromInline var hits = 0
    @usableFromInline var misses = 0
    @usableFromInline var evictions = CacheEvictionCounts()
    /// The key index: maps each key to its slot, and publishes every entry for the lock-free read
    /// path (which a cache with expiry does not use).
    @usableFromInline var keyIndex: CacheReads<Key, Value>.Writer

    init(configuration: CacheConfiguration<Key, Value>, reads: CacheReads<Key, Value>) {
        self.configuration = configuration
        self.keyIndex = CacheReads.Writer(reads: reads)
        self.total = CacheBudget(count: configuration.capacity, weight: configuration.maximumWeight)
        (self.window, self.protectedBudget) = Self.budgets(windowPercent: 1, of: self.total)
        let bound = min(configuration.capacity, configuration.maximumWeight)
        if configuration.policy == .windowTinyLFU, bound != .max {
            self.sketch = FrequencySketch(bound: bound, seed: configuration.sketchSeed)
            if configuration.maximumWeight == .max, let window = AdaptiveWindow(capacity: configuration.capacity) {
                self.adaptiveWindow = window
                self.readTally = AdaptiveWindow.ReadTally(
                    capacity: configuration.capacity,
                    sampleRate: window.sampleRate
                )
            }
        }
    }

    /// W-TinyLFU's window budget at `windowPercent` of `total`, and its protected budget, 80 % of the
    /// main area that the window leaves.
    @usableFromInline static func budgets(windowPercent: Int, of total: CacheBudget) -> (
        window: CacheBudget, protected: CacheBudget
    ) {
        let window = CacheBudget(percent: windowPercent, of: total)
        let main = CacheBudget(
            count: total.count == .max ? .max : total.count - min(window.count, total.count),
            weight: total.weight == .max ? .max : total.weight - min(window.weight, total.weight)
        )
        return (window, CacheBudget(percent: 80, of: main))
    }

    @inlinable var count: Int {
        mutating get {
            self.catchUp()
            return self.keyIndex.count
        }
    }

    @inlinable var stats: CacheStats {
        mutating get {
            self.catchUp()
            return CacheStats(
                hits: self.hits + self.keyIndex.reads.stripes.hits,
                misses: self.misses,
                sizeEvictions: self.evictions.size,
                replacements: self.evictions.replaced,
                explicitRemovals: self.evictions.explicit,
                entries: self.keyIndex.count,
                capacity: self.configuration.capacity,
                expirations: self.evictions.expired,
                weight: self.weight,
                maximumWeight: self.configuration.maximumWeight
            )
        }
    }

    // MARK: - Operations

    @inlinable mutating func value(forKey key: Key) -> Value? {
        self.lookUp(key).map { self.entries[$0]!.value }
    }

    /// The value for `key` and whether it was written at least `refreshAfter` ago; counts a hit or a
    /// miss like ``value(forKey:)``. Write times are recorded from the first call on.
    @inlinable mutating func value(forKey key: Key, refreshAfter: Duration) -> (value: Value, isStale: Bool)? {
        if !self.recordsWriteTimes {
            self.recordsWriteTimes = true
            self.now = self.configuration.elapsed()
        }
        guard let slot = self.lookUp(key) else {
            return nil
        }
        let entry = self.entries[slot]!
        return (entry.value, self.configuration.elapsed() - entry.writtenAt >= refreshAfter)
    }

    /// Whether `key` has an entry that has not expired, without counting a hit or a miss or recording
    /// an access.
    @inlinable mutating func containsKey(_ key: Key) -> Bool {
        self.catchUp()
        return self.keyIndex.slot(of: key, hash: self.keyIndex.hash(of: key)) != nil
    }

    /// Finds the slot of `key`, counting a hit and recording the access, or counting a miss.
    @inlinable mutating func lookUp(_ key: Key) -> Int? {
        self.catchUp()
        let hash = self.keyIndex.hash(of: key)
        guard let slot = self.keyIndex.slot(of: key, hash: hash) else {
            self.misses += 1
            if self.readTally != nil {
                self.recordRead(hash: hash, hit: false)
            }
            return nil
        }
        self.hits += 1
        self.recordHit(slot)
        return slot
    }

    /// Tells the policy, and the adaptive window if any, that a read found `slot`.
    @inlinable mutating func recordHit(_ slot: Int) {
        self.recordAccess(slot)
        if self.readTally != nil {
            self.recordRead(hash: self.entries[slot]!.sketchHash, hit: true)
        }
    }

    /// Brings the state up to date before an operation: applies the hits the lock-free path recorded
    /// since the last operation, then evicts expired entries.
    @inlinable mutating func catchUp() {
        self.drainReads()
        self.expireEntries()
    }

    /// Applies to the policy every hit the lock-free path recorded since the last drain, in order per
    /// thread: from every stripe, or from one (a reader drains its own). A slot emptied since its read
    /// is skipped; a slot refilled since (rare: evicted and reused between the read and the drain)
    /// gives its new entry the access.
    @inlinable mutating func drainReads(stripe: Int? = nil) {
        let reads = self.keyIndex.reads
        guard reads.isLockFree, reads.recordsReads else {
            return
        }
        reads.stripes.drain(stripe: stripe) { slot in
            if slot < self.entries.count, self.entries[slot] != nil {
                self.recordHit(slot)
            }
        }
    }

    /// Tells the adaptive window about a read: forgets much of what the cache learnt of popularity
    /// when the read tally sees a shift, and resizes the window when the simulations decide. Only for
    /// a cache with an adaptive window.
    @inlinable mutating func recordRead(hash: UInt64, hit: Bool) {
        if self.readTally!.count(hit: hit, seenBefore: !hit && self.sketch!.frequency(ofHash: hash) > 0) {
            self.forgetPopularity()
        }
        guard self.readTally!.samples(hash),
            let percent = self.adaptiveWindow!.replay(hash, sketch: self.sketch!)
        else {
            return
        }
        (self.window, self.protectedBudget) = Self.budgets(windowPercent: percent, of: self.total)
    }

    /// Halves the sketch twice and moves every protected entry to the back of probation, oldest
    /// last: after the popular keys changed, the old ones would otherwise keep their counts and their
    /// protection until aging wore them down, and turn away the new ones. Halved twice, the old keys'
    /// counts fall to at most 3, which a new key read four times beats; clearing them would let a
    /// burst of keys read once displace every popular key. O(protected entries + sketch table), once
    /// per detected shift.
    @inlinable mutating func forgetPopularity() {
        self.sketch?.halve()
        self.sketch?.halve()
        while self.queues[Self.protected].front != CacheLinks.none {
            self.move(self.queues[Self.protected].front, toQueue: Self.probation, atBack: true)
        }
    }

    @inlinable mutating func setValue(_ value: Value, forKey key: Key) {
        defer { self.keyIndex.reclaim() }
        self.catchUp()
        if self.recordsWriteTimes, self.configuration.timeToLive == nil, self.configuration.timeToIdle == nil {
            self.now = self.configuration.elapsed()
        }
        let weight = self.configuration.weigher?(key, value) ?? 1
        precondition(weight >= 0, "Cache weigher returned a negative weight, \(weight)")
        let hash = self.keyIndex.hash(of: key)
        if let slot = self.keyIndex.slot(of: key, hash: hash) {
            self.evictions.replaced += 1
            guard weight <= self.total.weight else {
                self.remove(slot)
                self.evictions.size += 1
                return
            }
            self.reweigh(slot, to: weight)
            self.entries[slot]!.node = self.keyIndex.replace(key: key, hash: hash, value: value, slot: slot)
            self.entries[slot]!.writtenAtNanoseconds = self.nowNanoseconds
            if self.configuration.timeToLive != nil {
                self.writeLinks.moveToFront(slot, in: &self.writeOrder)
            }
            self.recordAccess(slot)
        } else {
            guard weight <= self.total.weight else {
                self.evictions.size += 1
                return
            }
            if self.configuration.policy != .windowTinyLFU {
                self.evictForSize(toAdmitWeight: weight)
            }
            self.insert(key: key, hash: hash, value: value, weight: weight)
        }
        self.evictForSize()
    }

    @inlinable mutating func removeValue(forKey key: Key) -> Value? {
        defer { self.keyIndex.reclaim(now: true) }
        self.catchUp()
        guard let slot = self.keyIndex.slot(of: key, hash: self.keyIndex.hash(of: key)) else {
            return nil
        }
        let value = self.entries[slot]!.value
        self.remove(slot)
        self.evictions.explicit += 1
        return value
    }

    @inlinable mutating func removeAll() {
        defer { self.keyIndex.reclaim(now: true) }
        self.catchUp()
        self.evictions.explicit += self.keyIndex.count
        self.entries = []
        self.freeSlots = []
        self.policyLinks.removeAll()
        self.queues = [CacheList](repeating: CacheList(), count: 3)
        self.writeLinks.removeAll()
        self.writeOrder = CacheList()
        self.accessLinks.removeAll()
        self.accessOrder = CacheList()
        self.frequencyFronts = [:]
        self.weight = 0
        self.keyIndex.removeAll()
    }

    // MARK: - Slots

    /// Stores a new entry for `key`, whose ``CacheReads/Writer/hash(of:)`` is `hash`, at the front of
    /// the primary queue.
    @inlinable mutating func insert(key: Key, hash: UInt64, value: Value, weight: Int) {
        let slot = self.freeSlots.popLast() ?? self.entries.count
        let entry = Entry(
            node: self.keyIndex.insert(key: key, hash: hash, value: value, slot: slot),
            weight: weight,
            queue: Self.primary,
            // The key index hashes with the sketch's seed, so its hash is the sketch's.
            policyWord: self.configuration.policy == .lfu ? 1 : self.sketch == nil ? 0 : hash,
            writtenAtNanoseconds: self.nowNanoseconds
        )
        if slot == self.entries.count {
            self.entries.append(entry)
        } else {
            self.entries[slot] = entry
        }
        self.weight += weight
        self.queues[Self.primary].weight += weight
        if self.configuration.timeToLive != nil {
            self.writeLinks.pushFront(slot, into: &self.writeOrder)
        }
        if self.configuration.timeToIdle != nil {
            self.accessLinks.pushFront(slot, into: &self.accessOrder)
        }
        switch self.configuration.policy {
        case .lru, .fifo, .windowTinyLFU:
            self.sketch?.increment(hash: entry.sketchHash)
            self.policyLinks.pushFront(slot, into: &self.queues[Self.primary])
        case .lfu:
            if let front = self.frequencyFronts[1] {
                self.policyLinks.insert(slot, before: front, in: &self.queues[Self.primary])
            } else {
                self.policyLinks.pushBack(slot, into: &self.queues[Self.primary])
            }
            self.frequencyFronts[1] = slot
        }
    }

    /// Unlinks a slot from every list, releases its key and value and puts it on the free list.
    @inlinable mutating func remove(_ slot: Int) {
        let entry = self.entries[slot]!
        if self.configuration.policy == .lfu {
            self.leaveFrequencyGroup(slot)
        }
        self.policyLinks.remove(slot, from: &self.queues[entry.queue])
        self.queues[entry.queue].weight -= entry.weight
        if self.configuration.timeToLive != nil {
            self.writeLinks.remove(slot, from: &self.writeOrder)
        }
        if self.configuration.timeToIdle != nil {
            self.accessLinks.remove(slot, from: &self.accessOrder)
        }
        self.weight -= entry.weight
        self.keyIndex.remove(
            key: entry.key,
            hash: self.sketch == nil ? self.keyIndex.hash(of: entry.key) : entry.sketchHash
        )
        self.entries[slot] = nil
        self.freeSlots.append(slot)
    }

    @inlinable mutating func reweigh(_ slot: Int, to weight: Int) {
        let entry = self.entries[slot]!
        self.weight += weight - entry.weight
        self.queues[entry.queue].weight += weight - entry.weight
        self.entries[slot]!.weight = weight
    }

    /// Moves a slot from its queue to the front of `queue`, or to its back.
    @inlinable mutating func move(_ slot: Int, toQueue queue: Int, atBack: Bool = false) {
        let entry = self.entries[slot]!
        self.policyLinks.remove(slot, from: &self.queues[entry.queue])
        self.queues[entry.queue].weight -= entry.weight
        if atBack {
            self.policyLinks.pushBack(slot, into: &self.queues[queue])
        } else {
            self.policyLinks.pushFront(slot, into: &self.queues[queue])
        }
        self.queues[queue].weight += entry.weight
        self.entries[slot]!.queue = queue
    }

    // MARK: - Policy

    /// Records a read or a replacement of a slot in the access-order list and the policy's order.
    @inlinable mutating func recordAccess(_ slot: Int) {
        if self.configuration.timeToIdle != nil {
            self.entries[slot]!.accessedAtNanoseconds = self.nowNanoseconds
            self.accessLinks.moveToFront(slot, in: &self.accessOrder)
        }
        switch self.configuration.policy {
        case .lru:
            self.policyLinks.moveToFront(slot, in: &self.queues[Self.primary])
        case .fifo:
            break
        case .lfu:
            self.incrementFrequency(slot)
        case .windowTinyLFU:
            self.sketch?.increment(hash: self.entries[slot]!.sketchHash)
            switch self.entries[slot]!.queue {
            case Self.probation:
                self.move(slot, toQueue: Self.protected)
                while self.protectedBudget.isExceeded(by: self.queues[Self.protected]) {
                    self.move(self.queues[Self.protected].back, toQueue: Self.probation)
                }
            default:
                self.policyLinks.moveToFront(slot, in: &self.queues[self.entries[slot]!.queue])
            }
        }
    }

    /// Moves an LFU slot from its frequency group to the front of the next one, in O(1).
    ///
    /// The primary queue holds groups of equal frequency, highest at the front, each ordered from most
    /// to least recently used; `frequencyFronts` maps each frequency to its group's front slot.
    @inlinable mutating func incrementFrequency(_ slot: Int) {
        let frequency = self.entries[slot]!.frequency
        let target = self.frequencyFronts[frequency + 1] ?? self.frequencyFronts[frequency]!
        self.leaveFrequencyGroup(slot)
        if target != slot {
            self.policyLinks.remove(slot, from: &self.queues[Self.primary])
            self.policyLinks.insert(slot, before: target, in: &self.queues[Self.primary])
        }
        self.entries[slot]!.frequency = frequency + 1
        self.frequencyFronts[frequency + 1] = slot
    }

    @inlinable mutating func leaveFrequencyGroup(_ slot: Int) {
        let frequency = self.entries[slot]!.frequency
        guard self.frequencyFronts[frequency] == slot else {
            return
        }
        let next = self.policyLinks.next(slot)
        if next != CacheLinks.none, self.entries[next]!.frequency == frequency {
            self.frequencyFronts[frequency] = next
        } else {
            self.frequencyFronts[frequency] = nil
        }
    }

    // MARK: - Eviction

    @inlinable var isOverBounds: Bool {
        self.keyIndex.count > self.total.count || self.weight > self.total.weight
    }

    /// Evicts entries with cause ``CacheEvictionCause/size`` until the cache is within its bounds.
    @inlinable mutating func evictForSize() {
        guard self.configuration.policy == .windowTinyLFU else {
            self.evictForSize(toAdmitWeight: nil)
            return
        }
        self.evictWithAdmission()
    }

    /// Evicts the back of the primary queue until the cache is within its bounds, also leaving room
    /// for one more entry of the given weight if any, so a new entry is never its own victim.
    @inlinable mutating func evictForSize(toAdmitWeight incoming: Int?) {
        let entries = incoming == nil ? 0 : 1
        while self.keyIndex.count + entries > self.total.count || self.weight + (incoming ?? 0) > self.total.weight {
            self.evict(self.queues[Self.primary].back, cause: .size)
        }
    }

    /// W-TinyLFU eviction: window overflow becomes candidates at the front of probation; each
    /// candidate then meets the main area's victim and the one the sketch estimates rarer is evicted.
    @inlinable mutating func evictWithAdmission() {
        var candidate = CacheLinks.none
        while self.window.isExceeded(by: self.queues[Self.primary]) {
            let slot = self.queues[Self.primary].back
            self.move(slot, toQueue: Self.probation)
            if candidate == CacheLinks.none {
                candidate = slot
            }
        }
        while self.isOverBounds {
            guard candidate != CacheLinks.none else {
                var victim = self.queues[Self.probation].back
                if victim == CacheLinks.none {
                    victim = self.queues[Self.protected].back
                }
                if victim == CacheLinks.none {
                    victim = self.queues[Self.primary].back
                }
                self.evict(victim, cause: .size)
                continue
            }
            var victim = self.queues[Self.probation].back
            if victim == candidate {
                victim = self.queues[Self.protected].back
            }
            let nextCandidate = self.policyLinks.previous(candidate)
            if victim != CacheLinks.none, self.admits(candidate, over: victim) {
                self.evict(victim, cause: .size)
            } else {
                self.evict(candidate, cause: .size)
            }
            candidate = nextCandidate
        }
    }

    /// Whether the sketch estimates `candidate` more frequent than `victim`; an unbounded cache, which
    /// has no sketch, never evicts and so never asks.
    @inlinable func admits(_ candidate: Int, over victim: Int) -> Bool {
        guard let sketch = self.sketch else {
            return true
        }
        return sketch.frequency(ofHash: self.entries[candidate]!.sketchHash)
            > sketch.frequency(ofHash: self.entries[victim]!.sketchHash)
    }

    @inlinable mutating func evict(_ slot: Int, cause: CacheEvictionCause) {
        self.remove(slot)
        self.evictions.count(cause)
    }

    // MARK: - Expiry

    /// Reads the clock and evicts every expired entry with cause ``CacheEvictionCause/expired``.
    ///
    /// Entries expire in write order (time to live) and in access order (time to idle), so only the
    /// backs of those lists are checked: O(1) amortised, each entry expires once.
    @inlinable mutating func expireEntries() {
        let timeToLive = self.configuration.timeToLive
        let timeToIdle = self.configuration.timeToIdle
        guard timeToLive != nil || timeToIdle != nil else {
            return
        }
        self.now = self.configuration.elapsed()
        if let timeToLive {
            while self.writeOrder.back != CacheLinks.none,
                self.now - self.entries[self.writeOrder.back]!.writtenAt >= timeToLive
            {
                self.evict(self.writeOrder.back, cause: .expired)
            }
        }
        if let timeToIdle {
            while self.accessOrder.back != CacheLinks.none,
                self.now - self.entries[self.accessOrder.back]!.accessedAt >= timeToIdle
            {
                self.evict(self.accessOrder.back, cause: .expired)
            }
        }
    }
}

// MARK: - Eviction counts

/// Eviction counters of a cache, one per ``CacheEvictionCause``.
@usableFromInline
struct CacheEvictionCounts: Sendable {
    @usableFromInline var size = 0
    @usableFromInline var replaced = 0
    @usableFromInline var explicit = 0
    @usableFromInline var expired = 0

    @inlinable mutating func count(_ cause: CacheEvictionCause) {
        switch cause {
        case .size: self.size += 1
        case .replaced: self.replaced += 1
        case .explicit: self.explicit += 1
        case .expired: self.expired += 1
        }
    }
}
