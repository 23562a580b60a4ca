import Synchronization

/// A thread-safe, bounded key-value cache that evicts the least recently used entry when it is full.
///
/// The cache holds at most ``capacity`` entries. Every operation takes one lock and runs in O(1)
/// (amortised, like the dictionary it uses): entries live in slots of one array linked into a recency
/// list, so inserting, reading and evicting allocate nothing per entry once the array has grown.
///
/// Every read counts as a hit or a miss and every entry that leaves the cache counts as an eviction
/// with a ``CacheEvictionCause``; ``stats`` reads all counters at once, consistently. The cache is a
/// ``SampleSource``, so registering it with a ``MetricsRegistry`` shows it in perftop's cache pane.
public final class Cache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    /// The cache's name, used as the `cache` label of its samples.
    public let name: String
    /// The most entries the cache holds; always greater than zero.
    public let capacity: Int

    private let state: Mutex<CacheState<Key, Value>>

    /// Creates an empty cache.
    ///
    /// Memory grows with the number of entries, up to `capacity` slots; nothing is allocated up front.
    ///
    /// - Parameters:
    ///   - name: The cache's name, e.g. `users`; it labels the cache's samples.
    ///   - capacity: The most entries the cache holds. Must be greater than zero.
    public init(name: String, capacity: Int) {
        precondition(capacity > 0, "Cache capacity must be greater than zero, got \(capacity)")
        self.name = name
        self.capacity = capacity
        self.state = Mutex(CacheState(capacity: capacity))
    }

    // MARK: - Reading

    /// Returns the value stored for `key` and marks the entry as the most recently used.
    ///
    /// Counts a hit when the key is present and a miss when it is not. Cost: O(1), one lock.
    public func value(forKey key: Key) -> Value? {
        self.state.withLock { $0.value(forKey: key) }
    }

    /// The number of entries in the cache, from 0 to ``capacity``. Cost: O(1), one lock.
    public var count: Int {
        self.state.withLock { $0.count }
    }

    /// All counters and sizes of the cache, read together under one lock. Cost: O(1).
    public var stats: CacheStats {
        self.state.withLock { $0.stats }
    }

    // MARK: - Writing

    /// Stores `value` for `key`, making the entry the most recently used.
    ///
    /// Replacing the value of a key already present counts one eviction with cause
    /// ``CacheEvictionCause/replaced``. Inserting a new key into a full cache first evicts the least
    /// recently used entry with cause ``CacheEvictionCause/size``. Cost: O(1), one lock.
    public func setValue(_ value: Value, forKey key: Key) {
        self.state.withLock { $0.setValue(value, forKey: key) }
    }

    /// Removes the entry for `key` and returns its value, or returns `nil` if there is none.
    ///
    /// A removed entry counts one eviction with cause ``CacheEvictionCause/explicit``; removing a key
    /// that is not present counts nothing. Cost: O(1), one lock.
    @discardableResult
    public func removeValue(forKey key: Key) -> Value? {
        self.state.withLock { $0.removeValue(forKey: key) }
    }

    /// Removes every entry, counting each one as an eviction with cause ``CacheEvictionCause/explicit``.
    ///
    /// Hit and miss counters are kept. The slot storage is released. Cost: O(``count``), one lock.
    public func removeAll() {
        self.state.withLock { $0.removeAll() }
    }
}

// MARK: - State

/// The mutable part of a ``Cache``: the key index, the recency list and the counters.
///
/// Only ever accessed under the cache's mutex. Eviction order is decided in one place,
/// ``evictionVictim``, so other policies can be added by changing how the list is ordered and which
/// slot is chosen.
struct CacheState<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let capacity: Int
    private var index: [Key: Int] = [:]
    private var slots = SlotList<Key, Value>()
    private var hits = 0
    private var misses = 0
    private var evictions = CacheEvictionCounts()

    init(capacity: Int) {
        self.capacity = capacity
    }

    var count: Int {
        self.index.count
    }

    var stats: CacheStats {
        CacheStats(
            hits: self.hits,
            misses: self.misses,
            sizeEvictions: self.evictions.size,
            replacements: self.evictions.replaced,
            explicitRemovals: self.evictions.explicit,
            entries: self.index.count,
            capacity: self.capacity
        )
    }

    mutating func value(forKey key: Key) -> Value? {
        guard let slot = self.index[key] else {
            self.misses += 1
            return nil
        }
        self.hits += 1
        self.slots.moveToFront(slot)
        return self.slots.value(at: slot)
    }

    mutating func setValue(_ value: Value, forKey key: Key) {
        if let slot = self.index[key] {
            self.slots.replaceValue(at: slot, with: value)
            self.slots.moveToFront(slot)
            self.evictions.replaced += 1
            return
        }
        if self.index.count >= self.capacity, let victim = self.evictionVictim {
            let evictedKey = self.slots.remove(victim)
            self.index[evictedKey] = nil
            self.evictions.size += 1
        }
        self.index[key] = self.slots.insertAtFront(key: key, value: value)
    }

    mutating func removeValue(forKey key: Key) -> Value? {
        guard let slot = self.index.removeValue(forKey: key) else {
            return nil
        }
        let value = self.slots.value(at: slot)
        self.slots.remove(slot)
        self.evictions.explicit += 1
        return value
    }

    mutating func removeAll() {
        self.evictions.explicit += self.index.count
        self.index.removeAll()
        self.slots = SlotList()
    }

    /// The slot to evict when the cache is full: the least recently used one.
    private var evictionVictim: Int? {
        self.slots.back
    }
}

/// Eviction counters of a cache, one per ``CacheEvictionCause``.
struct CacheEvictionCounts: Sendable {
    var size = 0
    var replaced = 0
    var explicit = 0
}

// MARK: - Slot list

/// A doubly linked list of key-value entries kept in one array, with a free list of unused slots.
///
/// Slots are addressed by array index, so linking and unlinking allocate nothing; a removed slot is
/// reused by the next insertion. The front is the most recently used entry and the back the least.
struct SlotList<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Slot: Sendable {
        var key: Key?
        var value: Value?
        var previous: Int
        var next: Int
    }

    private static var none: Int { -1 }

    private var slots: [Slot] = []
    private var front = Self.none
    private var tail = Self.none
    private var freeHead = Self.none

    /// The least recently used slot, or `nil` when the list is empty.
    var back: Int? {
        self.tail == Self.none ? nil : self.tail
    }

    func value(at slot: Int) -> Value? {
        self.slots[slot].value
    }

    mutating func replaceValue(at slot: Int, with value: Value) {
        self.slots[slot].value = value
    }

    /// Stores an entry in a free slot (or a new one) at the front and returns the slot's index.
    mutating func insertAtFront(key: Key, value: Value) -> Int {
        let slot: Int
        if self.freeHead != Self.none {
            slot = self.freeHead
            self.freeHead = self.slots[slot].next
            self.slots[slot] = Slot(key: key, value: value, previous: Self.none, next: Self.none)
        } else {
            slot = self.slots.count
            self.slots.append(Slot(key: key, value: value, previous: Self.none, next: Self.none))
        }
        self.linkAtFront(slot)
        return slot
    }

    /// Unlinks a slot, releases its key and value, puts it on the free list and returns its key.
    @discardableResult
    mutating func remove(_ slot: Int) -> Key {
        self.unlink(slot)
        let key = self.slots[slot].key!
        self.slots[slot] = Slot(key: nil, value: nil, previous: Self.none, next: self.freeHead)
        self.freeHead = slot
        return key
    }

    mutating func moveToFront(_ slot: Int) {
        guard slot != self.front else {
            return
        }
        self.unlink(slot)
        self.linkAtFront(slot)
    }

    private mutating func linkAtFront(_ slot: Int) {
        self.slots[slot].previous = Self.none
        self.slots[slot].next = self.front
        if self.front != Self.none {
            self.slots[self.front].previous = slot
        }
        self.front = slot
        if self.tail == Self.none {
            self.tail = slot
        }
    }

    private mutating func unlink(_ slot: Int) {
        let previous = self.slots[slot].previous
        let next = self.slots[slot].next
        if previous != Self.none {
            self.slots[previous].next = next
        } else {
            self.front = next
        }
        if next != Self.none {
            self.slots[next].previous = previous
        } else {
            self.tail = previous
        }
    }
}
