/// Belady's optimal offline policy (MIN): on a miss in a full cache, evict the resident key whose next
/// use lies farthest in the future.
///
/// No online policy can beat its hit ratio on the same trace, so it is the ceiling that the real
/// policies are compared with. The next use of every request is computed in one backward pass; the
/// resident keys sit in a max-heap keyed by their next use, with stale entries skipped lazily and the
/// heap rebuilt when it holds more than twice `capacity` entries, so a replay costs O(n log c).
enum BeladyOptimal {
    /// Replays `trace` through an optimal cache of `capacity` keys and counts the measured hits.
    static func replay(_ trace: Trace, capacity: Int) -> HitCount {
        let keys = trace.keys
        let never = Int.max
        // nextUse[i]: the index of the next request of keys[i] after i, or `never`.
        var nextUse = [Int](repeating: never, count: keys.count)
        var upcoming = [Int](repeating: never, count: trace.keySpace)
        for index in stride(from: keys.count - 1, through: 0, by: -1) {
            nextUse[index] = upcoming[keys[index]]
            upcoming[keys[index]] = index
        }

        // residentNextUse[key]: the next use of a resident key, or -1 when the key is not resident.
        var residentNextUse = [Int](repeating: -1, count: trace.keySpace)
        var heap = MaxHeap()
        var residentCount = 0
        var count = HitCount()
        for (index, key) in keys.enumerated() {
            let measured = trace.isMeasured?[index] ?? true
            if measured {
                count.requests += 1
            }
            if residentNextUse[key] >= 0 {
                if measured {
                    count.hits += 1
                }
            } else {
                residentCount += 1
            }
            residentNextUse[key] = nextUse[index]
            heap.push(priority: nextUse[index], key: key)
            if residentCount > capacity {
                // Pop until a live entry: one whose priority is still its key's next use.
                while let top = heap.pop() {
                    if residentNextUse[top.key] == top.priority {
                        residentNextUse[top.key] = -1
                        residentCount -= 1
                        break
                    }
                }
            }
            if heap.count > 2 * capacity + 2 {
                heap.rebuild(
                    from: heap.entries.filter { residentNextUse[$0.key] == $0.priority }
                )
            }
        }
        return count
    }
}

/// A binary max-heap of (priority, key) pairs stored in one array.
struct MaxHeap {
    /// One heap entry.
    struct Entry {
        var priority: Int
        var key: Int
    }

    private(set) var entries: [Entry] = []

    var count: Int {
        self.entries.count
    }

    mutating func push(priority: Int, key: Int) {
        self.entries.append(Entry(priority: priority, key: key))
        var child = self.entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard self.entries[parent].priority < self.entries[child].priority else {
                break
            }
            self.entries.swapAt(parent, child)
            child = parent
        }
    }

    mutating func pop() -> Entry? {
        guard let last = self.entries.popLast() else {
            return nil
        }
        guard !self.entries.isEmpty else {
            return last
        }
        let top = self.entries[0]
        self.entries[0] = last
        self.siftDown(0)
        return top
    }

    /// Replaces the contents with `entries`, heapified in O(n).
    mutating func rebuild(from entries: [Entry]) {
        self.entries = entries
        for index in stride(from: self.entries.count / 2 - 1, through: 0, by: -1) {
            self.siftDown(index)
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        let count = self.entries.count
        while true {
            let left = 2 * parent + 1
            guard left < count else {
                return
            }
            var largest = left
            let right = left + 1
            if right < count && self.entries[right].priority > self.entries[left].priority {
                largest = right
            }
            guard self.entries[largest].priority > self.entries[parent].priority else {
                return
            }
            self.entries.swapAt(parent, largest)
            parent = largest
        }
    }
}
