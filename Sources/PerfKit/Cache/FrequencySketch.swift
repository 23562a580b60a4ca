/// A 4-bit count-min sketch estimating how often keys were seen recently, for ``CachePolicy/windowTinyLFU``.
///
/// Each key maps to four 4-bit counters (saturating at 15) in a table of 64-bit words whose length is
/// the power of two at or above the cache's bound (at most 2^20 words). An increment raises only the
/// key's smallest counters (conservative update), which keeps estimates of rare keys low. After twenty
/// increments per unit of the bound the sketch ages: every counter is halved, so old popularity
/// fades. Increment and estimate cost O(1); aging costs O(table), amortised O(1) per increment.
///
/// Keys hash with the sketch's own seed (``hash(of:)``), fixed per cache, so that a cache replaying
/// the same requests makes the same decisions on every run: integer and string keys hash by their
/// value and the seed alone. Other keys hash through their `Hashable` conformance, which Swift seeds
/// per process; their collisions, and so the rare admission decided by one, vary between runs.
@usableFromInline
struct FrequencySketch: Sendable {
    @inlinable static var maximumWords: Int { 1 << 20 }
    @inlinable static var halvingMask: UInt64 { 0x7777_7777_7777_7777 }

    @usableFromInline var table: [UInt64]
    @usableFromInline let mask: Int
    @usableFromInline let sampleSize: Int
    @usableFromInline var additions = 0
    @usableFromInline let seed: UInt64

    /// Creates a sketch for a cache holding up to `bound` entries (or weight units), hashing with
    /// `seed`.
    init(bound: Int, seed: UInt64) {
        self.seed = seed
        var words = 8
        while words < min(bound, Self.maximumWords) {
            words <<= 1
        }
        self.table = Array(repeating: 0, count: words)
        self.mask = words - 1
        self.sampleSize = 20 * max(1, min(bound, words))
    }

    /// The hash the sketch counts `key` under; callers compute it once per entry and keep it.
    ///
    /// `Int` and `String` keys hash by value (a string by FNV-1a over its UTF-8), the same in every
    /// process; other keys by `hashValue`. The casts fold away when the cache is specialised for its
    /// key type.
    @inlinable func hash(of key: some Hashable) -> UInt64 {
        Self.hash(of: key, seed: self.seed)
    }

    /// ``hash(of:)`` with the given seed, for other tables keyed like the sketch.
    @inlinable static func hash(of key: some Hashable, seed: UInt64) -> UInt64 {
        var hash: UInt64
        if let integer = key as? Int {
            hash = UInt64(bitPattern: Int64(integer))
        } else if let text = key as? String {
            hash = Self.fnv1a(text)
        } else {
            hash = UInt64(bitPattern: Int64(key.hashValue))
        }
        hash ^= seed
        hash = (hash ^ (hash >> 33)) &* 0xFF51_AFD7_ED55_8CCD
        hash = (hash ^ (hash >> 33)) &* 0xC4CE_B9FE_1A85_EC53
        return hash ^ (hash >> 33)
    }

    /// FNV-1a (64-bit) of `text`'s UTF-8: the same value in every process, unlike `hashValue`.
    @inlinable static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// The estimated number of recent occurrences of the key with the given ``hash(of:)``, from 0 to 15:
    /// the smallest of its four counters.
    @inlinable func frequency(ofHash hash: UInt64) -> Int {
        var minimum = 15
        for row in 0..<4 {
            let (word, shift) = self.position(of: hash, row: row)
            minimum = min(minimum, Int((self.table[word] >> shift) & 0xF))
        }
        return minimum
    }

    /// Records one occurrence of the key with the given ``hash(of:)``, aging the sketch once enough
    /// occurrences were recorded.
    @inlinable mutating func increment(hash: UInt64) {
        let minimum = self.frequency(ofHash: hash)
        guard minimum < 15 else {
            return
        }
        for row in 0..<4 {
            let (word, shift) = self.position(of: hash, row: row)
            if (self.table[word] >> shift) & 0xF == minimum {
                self.table[word] += 1 << shift
            }
        }
        self.additions += 1
        if self.additions >= self.sampleSize {
            self.halve()
        }
    }

    /// Halves every counter and the number of recorded additions.
    @usableFromInline mutating func halve() {
        for word in self.table.indices {
            self.table[word] = (self.table[word] >> 1) & Self.halvingMask
        }
        self.additions /= 2
    }

    /// The word index and bit shift of the counter of a spread hash in one of the four rows.
    ///
    /// Each row remixes the hash with its own offset through a SplitMix64 finalizer, whose xor-shifts
    /// make the rows independent: two keys that share a counter in one row rarely share one in another.
    @inlinable func position(of hash: UInt64, row: Int) -> (word: Int, shift: UInt64) {
        var mixed = hash &+ UInt64(row + 1) &* 0x9E37_79B9_7F4A_7C15
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        mixed ^= mixed >> 31
        return (Int(truncatingIfNeeded: mixed) & self.mask, (mixed >> 60) << 2)
    }
}
