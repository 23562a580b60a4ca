import PerfKit

/// One eviction policy of ``Cache`` that the benchmark measures, with a name for the tables.
struct BenchmarkedPolicy: Sendable {
    /// The name printed in the tables.
    let name: String
    /// Creates an empty cache with this policy and the given capacity.
    let makeCache: @Sendable (_ capacity: Int) -> Cache<Int, Int>
}

extension BenchmarkedPolicy {
    /// Table names of the known policies; a policy missing here is shown by its raw value.
    private static let displayNames = [
        "windowTinyLFU": "W-TinyLFU",
        "lru": "LRU",
        "lfu": "LFU",
        "fifo": "FIFO",
    ]

    /// Every ``CachePolicy``, the cache's default first, so a new policy is measured without any change here.
    static var all: [BenchmarkedPolicy] {
        let defaultPolicy = Cache<Int, Int>(name: "bench-default", capacity: 1).policy
        let policies = [defaultPolicy] + CachePolicy.allCases.filter { $0 != defaultPolicy }
        return policies.map { policy in
            let name = Self.displayNames[policy.rawValue] ?? policy.rawValue
            return BenchmarkedPolicy(name: policy == defaultPolicy ? "\(name) (default)" : name) { capacity in
                Cache(name: "bench-\(policy.rawValue)", capacity: capacity, policy: policy)
            }
        }
    }
}
