// MARK: - Adaptive window

/// Sizes W-TinyLFU's window from small simulations of the same cache with other window sizes.
///
/// A fixed 1 % window suits a workload whose popular keys stay popular, and loses to LRU when
/// recency predicts the next read better than frequency (a working set that slides, popularity that
/// shifts). Instead of climbing on the cache's own hit ratio, which is too noisy to compare two sizes
/// over a short sample, the cache replays a sample of its reads in ``WindowSimulation``s, one per
/// candidate window fraction, and adopts the fraction whose simulation hit most.
///
/// - **Sampling.** A read is sampled when its key's sketch hash falls in 1 of `sampleRate` buckets
///   (spatial sampling, as SHARDS does for miss-ratio curves): every read of a sampled key is
///   replayed, so each simulation sees a smaller copy of the workload and holds `capacity /
///   sampleRate` entries, between 125 and 250 (more above two billion entries, where the sampling
///   rate stops at 2^24).
/// - **Deciding.** Every ``periodPerEntry`` sampled reads per simulated entry, each simulation's hits
///   are added to its score, which first halves, so a decision weighs the last few periods most. The
///   fraction with the best score becomes the cache's window if it beats the current one by more
///   than two standard deviations of the counts.
/// - **Forgetting.** ``ReadTally`` counts every read and tells the cache when its hits fell by half
///   from one block of reads to the next, mostly on keys seen before: the popular keys changed.
/// - **Cost.** Each sampled read costs one lookup in each of the simulations, so about
///   `fractions.count / sampleRate` simulated reads per real read; memory is 60 to 85 bytes per
///   simulated entry, 40 to 60 KiB per cache whatever its capacity (glibc's heap in use, measured
///   at 1,000, 1,999 and 10,000 entries: 41, 57 and 41 KiB).
///
/// The simulations share the cache's frequency sketch: a key's popularity does not depend on the
/// window, so admission decisions in a simulation are the ones the cache would make.
@usableFromInline
struct AdaptiveWindow: Sendable {
    /// The window fractions, in percent of the capacity, that are simulated and may be adopted.
    @inlinable static var fractions: [Int] { [1, 5, 25, 90] }
    /// The smallest capacity whose window adapts: a smaller cache keeps its 1 % window, because a
    /// sample of it would be too small to simulate.
    @inlinable static var minimumCapacity: Int { 1_000 }
    /// The fewest entries of one simulation.
    @inlinable static var minimumSimulatedEntries: Int { 125 }
    /// Sampled reads per simulated entry between two decisions.
    @inlinable static var periodPerEntry: Int { 10 }
    /// The highest sampling rate: ``ReadTally/samples(_:)`` tests the 24 top bits of a hash.
    @inlinable static var maximumSampleRate: Int { 1 << 24 }

    /// One read in `sampleRate` (by key) is replayed; a power of two.
    let sampleRate: Int
    @usableFromInline var simulations: [WindowSimulation]
    @usableFromInline var scores: [Int]
    @usableFromInline var periodHits: [Int]
    @usableFromInline let period: Int
    @usableFromInline var reads = 0
    /// The index in ``fractions`` of the fraction in use.
    @usableFromInline var current = 0

    /// Creates the simulations for a cache of `capacity` entries, or returns `nil` when the cache is
    /// below ``minimumCapacity``.
    init?(capacity: Int) {
        guard capacity >= Self.minimumCapacity, capacity != .max else {
            return nil
        }
        var sampleRate = 1
        while sampleRate < Self.maximumSampleRate, capacity / (sampleRate * 2) >= Self.minimumSimulatedEntries {
            sampleRate *= 2
        }
        let simulated = capacity / sampleRate
        self.sampleRate = sampleRate
        self.simulations = Self.fractions.map { WindowSimulation(capacity: simulated, windowPercent: $0) }
        self.scores = Array(repeating: 0, count: Self.fractions.count)
        self.periodHits = Array(repeating: 0, count: Self.fractions.count)
        self.period = simulated * Self.periodPerEntry
    }

    /// The window fraction in use, in percent of the capacity.
    @inlinable var percent: Int {
        Self.fractions[self.current]
    }

    /// Replays a sampled read in every simulation and returns the new window fraction, in percent,
    /// when the period ends and another fraction is now clearly better.
    @inlinable mutating func replay(_ hash: UInt64, sketch: FrequencySketch) -> Int? {
        for index in self.simulations.indices where self.simulations[index].read(hash, sketch: sketch) {
            self.periodHits[index] += 1
        }
        self.reads += 1
        return self.reads >= self.period ? self.decide() : nil
    }

    /// Scores the simulations over the period that ended and returns the new window fraction, in
    /// percent, if another one is now clearly better.
    @usableFromInline mutating func decide() -> Int? {
        self.reads = 0
        var best = self.current
        for index in self.scores.indices {
            self.scores[index] = self.scores[index] / 2 + self.periodHits[index]
            self.periodHits[index] = 0
        }
        for index in self.scores.indices where self.scores[index] > self.scores[best] {
            best = index
        }
        // Scores are counts of hits: a difference within two standard deviations of their sum is
        // noise, and following it would move entries between the areas for nothing.
        let margin = 2 * Double(self.scores[best] + self.scores[self.current]).squareRoot()
        guard Double(self.scores[best] - self.scores[self.current]) > margin else {
            return nil
        }
        self.current = best
        return self.percent
    }
}

// MARK: - Read tally

extension AdaptiveWindow {
    /// What every read of a cache with an adaptive window pays: a count, and a test of whether the
    /// read is sampled. Plain integers, kept apart from the simulations so that the common read
    /// touches no array.
    ///
    /// It also notices when the popular keys change: reads are counted in blocks of half the
    /// capacity, and a block with less than half the hits of the block before (which had at least
    /// ``minimumBlockHits``) is a shift if at least a quarter of its misses are of keys the sketch
    /// has counted before. A burst of keys read once also halves the hits, but misses on keys never
    /// seen (the sketch's collisions aside).
    @usableFromInline
    struct ReadTally: Sendable {
        /// The fewest hits in a block for a drop in the next block to count as a shift: fewer would
        /// make noise look like one.
        @inlinable static var minimumBlockHits: Int { 64 }

        @usableFromInline let sampleMask: UInt64
        @usableFromInline let blockLength: Int
        @usableFromInline var blockReads = 0
        @usableFromInline var blockHits = 0
        @usableFromInline var blockRepeatedMisses = 0
        @usableFromInline var lastBlockHits = 0

        init(capacity: Int, sampleRate: Int) {
            self.sampleMask = UInt64(sampleRate - 1)
            self.blockLength = capacity / 2
        }

        /// Whether reads of the key with sketch hash `hash` are replayed in the simulations.
        @inlinable func samples(_ hash: UInt64) -> Bool {
            (hash >> 40) & self.sampleMask == 0
        }

        /// Counts a read (a miss `seenBefore` when the sketch estimates its key above zero) and returns
        /// whether it ended a block that marks a shift.
        @inlinable mutating func count(hit: Bool, seenBefore: Bool) -> Bool {
            self.blockReads += 1
            if hit {
                self.blockHits += 1
            } else if seenBefore {
                self.blockRepeatedMisses += 1
            }
            guard self.blockReads == self.blockLength else {
                return false
            }
            // A quarter of the misses must be of keys the sketch has seen: after a shift the new
            // popular keys miss again and again, while a burst of keys read once misses on new keys.
            let shifted =
                self.lastBlockHits >= Self.minimumBlockHits && self.blockHits * 2 < self.lastBlockHits
                && self.blockRepeatedMisses * 4 >= self.blockReads - self.blockHits
            self.lastBlockHits = self.blockHits
            self.blockReads = 0
            self.blockHits = 0
            self.blockRepeatedMisses = 0
            return shifted
        }
    }
}

// MARK: - Simulation

/// A W-TinyLFU cache of key hashes only, with a window of a given fraction: what ``AdaptiveWindow``
/// replays sampled reads in. A read that misses inserts the key, as a read-through cache would.
///
/// It replays the policy of ``CacheState`` (window, probation, protected, admission by the sketch)
/// without values, weights or expiry; a change to the cache's W-TinyLFU belongs here too. Its lists
/// reuse ``CacheLinks``, so a read costs one dictionary lookup and O(1) list moves, and nothing is
/// allocated once the simulation is full.
@usableFromInline
struct WindowSimulation: Sendable {
    @usableFromInline let capacity: Int
    @usableFromInline let windowCapacity: Int
    @usableFromInline let protectedCapacity: Int
    @usableFromInline var index: [UInt64: Int] = [:]
    @usableFromInline var hashes: [UInt64] = []
    @usableFromInline var queueOfSlot: [UInt8] = []
    @usableFromInline var freeSlots: [Int] = []
    @usableFromInline var links = CacheLinks()
    @usableFromInline var queues = [CacheList](repeating: CacheList(), count: 3)

    @inlinable static var window: Int { 0 }
    @inlinable static var probation: Int { 1 }
    @inlinable static var protected: Int { 2 }

    init(capacity: Int, windowPercent: Int) {
        self.capacity = capacity
        self.windowCapacity = max(1, capacity * windowPercent / 100)
        self.protectedCapacity = (capacity - self.windowCapacity) * 80 / 100
        self.index.reserveCapacity(capacity + 1)
    }

    /// Reads the key with `hash`: a hit moves it as W-TinyLFU does, a miss inserts it into the window
    /// and evicts, admitting the window's oldest entry into the main area only if the sketch estimates
    /// it more frequent than the main area's victim. Returns whether the read hit.
    @inlinable mutating func read(_ hash: UInt64, sketch: FrequencySketch) -> Bool {
        if let slot = self.index[hash] {
            if Int(self.queueOfSlot[slot]) == Self.probation {
                self.move(slot, to: Self.protected)
                if self.queues[Self.protected].count > self.protectedCapacity {
                    self.move(self.queues[Self.protected].back, to: Self.probation)
                }
            } else {
                self.links.moveToFront(slot, in: &self.queues[Int(self.queueOfSlot[slot])])
            }
            return true
        }
        self.insert(hash)
        if self.queues[Self.window].count > self.windowCapacity {
            let candidate = self.queues[Self.window].back
            self.move(candidate, to: Self.probation)
            if self.index.count > self.capacity {
                var victim = self.queues[Self.probation].back
                if victim == candidate {
                    victim = self.queues[Self.protected].back
                }
                if victim != CacheLinks.none,
                    sketch.frequency(ofHash: self.hashes[candidate]) > sketch.frequency(ofHash: self.hashes[victim])
                {
                    self.remove(victim)
                } else {
                    self.remove(candidate)
                }
            }
        }
        return false
    }

    @inlinable mutating func insert(_ hash: UInt64) {
        let slot: Int
        if let free = self.freeSlots.popLast() {
            slot = free
            self.hashes[slot] = hash
            self.queueOfSlot[slot] = UInt8(Self.window)
        } else {
            slot = self.hashes.count
            self.hashes.append(hash)
            self.queueOfSlot.append(UInt8(Self.window))
        }
        self.index[hash] = slot
        self.links.pushFront(slot, into: &self.queues[Self.window])
    }

    @inlinable mutating func remove(_ slot: Int) {
        self.links.remove(slot, from: &self.queues[Int(self.queueOfSlot[slot])])
        self.index[self.hashes[slot]] = nil
        self.freeSlots.append(slot)
    }

    @inlinable mutating func move(_ slot: Int, to queue: Int) {
        self.links.remove(slot, from: &self.queues[Int(self.queueOfSlot[slot])])
        self.links.pushFront(slot, into: &self.queues[queue])
        self.queueOfSlot[slot] = UInt8(queue)
    }
}
