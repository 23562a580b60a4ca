import PerfKit

/// One eviction policy of ``Cache`` that the benchmark measures, with a name for the tables.
struct BenchmarkedPolicy: Sendable {
    /// The name printed in the tables.
    var name: String
    let policy: CachePolicy
    var maintenance = CacheMaintenance.callingThread

    /// Creates an empty cache with this policy and the given capacity.
    func makeCache(_ capacity: Int) -> Cache<Int, Int> {
        Cache(
            name: "bench-\(self.policy.rawValue)",
            capacity: capacity,
            policy: self.policy,
            maintenance: self.maintenance
        )
    }
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
            return BenchmarkedPolicy(name: policy == defaultPolicy ? "\(name) (default)" : name, policy: policy)
        }
    }

    /// `policies` that record reads (all but FIFO), with their read buffers drained on the maintenance
    /// thread (``CacheMaintenance/background``).
    static func inBackground(_ policies: [BenchmarkedPolicy]) -> [BenchmarkedPolicy] {
        policies.filter { $0.policy != .fifo }.map { policy in
            var background = policy
            background.name = "\(Self.displayNames[policy.policy.rawValue] ?? policy.policy.rawValue), background"
            background.maintenance = .background
            return background
        }
    }
}
