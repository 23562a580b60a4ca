/// ARC (Megiddo and Modha, "ARC: A Self-Tuning, Low Overhead Replacement Cache", FAST 2003), a
/// reference to measure PerfKit's policies against; not part of PerfKit.
///
/// Two LRU lists hold the cache (`recent`: keys seen once lately, `frequent`: keys seen at least
/// twice), two more remember keys just evicted from each (`recentGhosts`, `frequentGhosts`), and the
/// target size of `recent` moves towards whichever ghost list the misses hit.
struct AdaptiveReplacementCache {
    private let capacity: Int
    private var recentTarget = 0.0
    private var recent = KeyList()
    private var frequent = KeyList()
    private var recentGhosts = KeyList()
    private var frequentGhosts = KeyList()

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Hits and requests of `trace` through an ARC cache of `capacity` keys.
    static func replay(_ trace: Trace, capacity: Int) -> HitCount {
        var cache = AdaptiveReplacementCache(capacity: capacity)
        var count = HitCount()
        for (index, key) in trace.keys.enumerated() {
            let hit = cache.request(key)
            if trace.isMeasured?[index] ?? true {
                count.requests += 1
                if hit {
                    count.hits += 1
                }
            }
        }
        return count
    }

    /// Requests `key`, storing it on a miss; returns whether it was a hit.
    mutating func request(_ key: Int) -> Bool {
        let capacity = Double(self.capacity)
        if self.recent.remove(key) || self.frequent.remove(key) {
            self.frequent.pushFront(key)
            return true
        }
        if self.recentGhosts.contains(key) {
            let ratio = Double(self.frequentGhosts.count) / Double(self.recentGhosts.count)
            self.recentTarget = min(capacity, self.recentTarget + max(ratio, 1))
            self.replace(missedInFrequentGhosts: false)
            _ = self.recentGhosts.remove(key)
            self.frequent.pushFront(key)
            return false
        }
        if self.frequentGhosts.contains(key) {
            let ratio = Double(self.recentGhosts.count) / Double(self.frequentGhosts.count)
            self.recentTarget = max(0, self.recentTarget - max(ratio, 1))
            self.replace(missedInFrequentGhosts: true)
            _ = self.frequentGhosts.remove(key)
            self.frequent.pushFront(key)
            return false
        }
        let recentSide = self.recent.count + self.recentGhosts.count
        let all = recentSide + self.frequent.count + self.frequentGhosts.count
        if recentSide == self.capacity {
            if self.recent.count < self.capacity {
                _ = self.recentGhosts.popBack()
                self.replace(missedInFrequentGhosts: false)
            } else {
                _ = self.recent.popBack()
            }
        } else if all >= self.capacity {
            if all == 2 * self.capacity {
                _ = self.frequentGhosts.popBack()
            }
            self.replace(missedInFrequentGhosts: false)
        }
        self.recent.pushFront(key)
        return false
    }

    /// Evicts the least recent key of `recent` or of `frequent` into its ghost list, as the target
    /// says.
    private mutating func replace(missedInFrequentGhosts: Bool) {
        let recentCount = Double(self.recent.count)
        if self.recent.count > 0,
            recentCount > self.recentTarget || (missedInFrequentGhosts && recentCount == self.recentTarget)
        {
            if let key = self.recent.popBack() {
                self.recentGhosts.pushFront(key)
            }
        } else if let key = self.frequent.popBack() {
            self.frequentGhosts.pushFront(key)
        }
    }
}

/// Keys in recency order (front = most recent), with O(1) insert, remove and pop.
private struct KeyList {
    private var links: [Int: (previous: Int?, next: Int?)] = [:]
    private var front: Int?
    private var back: Int?

    var count: Int { self.links.count }

    func contains(_ key: Int) -> Bool {
        self.links[key] != nil
    }

    mutating func pushFront(_ key: Int) {
        self.links[key] = (nil, self.front)
        if let front = self.front {
            self.links[front]!.previous = key
        } else {
            self.back = key
        }
        self.front = key
    }

    /// Removes `key`; returns whether it was there.
    mutating func remove(_ key: Int) -> Bool {
        guard let link = self.links.removeValue(forKey: key) else {
            return false
        }
        if let previous = link.previous {
            self.links[previous]!.next = link.next
        } else {
            self.front = link.next
        }
        if let next = link.next {
            self.links[next]!.previous = link.previous
        } else {
            self.back = link.previous
        }
        return true
    }

    mutating func popBack() -> Int? {
        guard let back = self.back else {
            return nil
        }
        _ = self.remove(back)
        return back
    }
}
