import BenchmarkSupport
import PerfKit

/// Replays traces through each policy's ``Cache`` and prints hit ratios next to Belady's optimum.
enum HitRatioBenchmark {
    /// Replays `trace` through `cache` as a read-through cache: a miss stores the key.
    static func replay(_ trace: Trace, through cache: Cache<Int, Int>) -> HitCount {
        var count = HitCount()
        for (index, key) in trace.keys.enumerated() {
            let hit = cache.value(forKey: key) != nil
            if !hit {
                cache.setValue(key, forKey: key)
            }
            if trace.isMeasured?[index] ?? true {
                count.requests += 1
                if hit {
                    count.hits += 1
                }
            }
        }
        return count
    }

    /// Prints the hit ratio of every policy and of the optimum on `trace` at each capacity.
    static func printHitRatios(
        trace: Trace,
        capacities: [(label: String, capacity: Int)],
        policies: [BenchmarkedPolicy]
    ) {
        var table = TextTable(["policy"] + capacities.map { "\($0.label) (\($0.capacity))" })
        for policy in policies {
            let cells = capacities.map { percent(self.replay(trace, through: policy.makeCache($0.capacity))) }
            table.append([policy.name] + cells)
        }
        let optimal = capacities.map { percent(BeladyOptimal.replay(trace, capacity: $0.capacity)) }
        table.append(["Belady (optimal)"] + optimal)
        print(table.render())
    }

    /// Prints the hit ratio of every policy, of ARC and of the optimum on each trace, at one capacity.
    static func printWorkloads(
        traces: [(label: String, trace: Trace)],
        capacity: Int,
        policies: [BenchmarkedPolicy]
    ) {
        var table = TextTable(["policy"] + traces.map(\.label))
        for policy in policies {
            table.append(
                [policy.name] + traces.map { percent(self.replay($0.trace, through: policy.makeCache(capacity))) }
            )
        }
        table.append(
            ["ARC (reference)"] + traces.map { percent(AdaptiveReplacementCache.replay($0.trace, capacity: capacity)) }
        )
        table.append(["Belady (optimal)"] + traces.map { percent(BeladyOptimal.replay($0.trace, capacity: capacity)) })
        print(table.render())
    }

    /// Prints, per policy and capacity, the hit ratio on the Zipf requests with and without the scan.
    static func printScanResistance(
        plain: Trace,
        scanned: Trace,
        capacities: [(label: String, capacity: Int)],
        policies: [BenchmarkedPolicy]
    ) {
        var table = TextTable(["policy", "cache size", "without scan", "with scan", "change (points)"])
        let rows: [(String, (Trace, Int) -> HitCount)] =
            policies.map { policy in (policy.name, { self.replay($0, through: policy.makeCache($1)) }) }
            + [("Belady (optimal)", { BeladyOptimal.replay($0, capacity: $1) })]
        for (name, run) in rows {
            for (label, capacity) in capacities {
                let without = run(plain, capacity).percent
                let with = run(scanned, capacity).percent
                table.append([
                    name,
                    "\(label) (\(capacity))",
                    formatted(without, digits: 2) + " %",
                    formatted(with, digits: 2) + " %",
                    formatted(with - without, digits: 2),
                ])
            }
        }
        print(table.render())
    }
}

/// A hit count as a percentage with two decimals, e.g. `58.47 %`.
private func percent(_ count: HitCount) -> String {
    formatted(count.percent, digits: 2) + " %"
}
