import BenchmarkSupport
import Foundation
import PerfKit

/// Measures PerfKit's ``Cache``: hit ratios on a Zipf trace against Belady's optimum, scan
/// resistance, and get/put cost against a plain locked dictionary; and a ``SemanticCache``'s search.
///
/// Run with `swift run -c release --package-path Benchmarks CacheBenchmarks [SECTION…]`, where a
/// section is `hit-ratio`, `scan`, `workloads`, `memory`, `throughput`, `semantic`, `redis` or `http`; all run when none
/// is named (`redis` needs redis-server, and says it skipped without it). Traces are
/// seeded and deterministic; throughput figures depend on the machine.
@main
struct CacheBenchmarks {
    static let keyCount = 100_000
    static let requestCount = 1_000_000
    static let exponent = 0.99
    /// The exponent of the weakly skewed Zipf workload.
    static let weakExponent = 0.6
    static let traceSeed: UInt64 = 0x5EED_0001
    static let scanSeed: UInt64 = 0x5EED_0002
    static let scanFraction = 0.2
    static let capacities = [
        (label: "1%", capacity: Self.keyCount / 100),
        (label: "0.1%", capacity: Self.keyCount / 1_000),
    ]

    /// The parts of the benchmark, selectable by name on the command line.
    enum Section: String, CaseIterable {
        case hitRatio = "hit-ratio"
        case scan
        case workloads
        case memory
        case throughput
        case semantic
        case redis
        case http
    }

    static func main() async {
        let sections = selectedSections(of: "CacheBenchmarks", Section.self)
        let clock = ContinuousClock()
        let start = clock.now
        let policies = BenchmarkedPolicy.all
        print("PerfKit Cache benchmarks; policies: \(policies.map(\.name).joined(separator: ", "))")
        if sections.contains(.hitRatio) || sections.contains(.scan) {
            self.printHitRatios(policies: policies, sections: sections)
        }
        if sections.contains(.workloads) {
            self.printWorkloads(policies: policies)
        }
        if sections.contains(.memory) {
            self.printMemory(policies: policies)
        }
        if sections.contains(.throughput) {
            await self.printThroughput(policies: policies)
        }
        if sections.contains(.semantic) {
            await SemanticSearchBenchmark.run()
        }
        if sections.contains(.redis) {
            do {
                try await RedisTierBenchmark.run()
            } catch {
                print("redis: \(error)")
            }
        }
        if sections.contains(.http) {
            do {
                try await HTTPCacheBenchmark.run()
            } catch {
                print("http: \(error)")
            }
        }
        print()
        print("Total time: \(clock.now - start)")
    }

    private static func printHitRatios(policies: [BenchmarkedPolicy], sections: [Section]) {
        let trace = Trace.zipf(
            keyCount: self.keyCount,
            exponent: self.exponent,
            requestCount: self.requestCount,
            seed: self.traceSeed
        )
        if sections.contains(.hitRatio) {
            print()
            print(
                "1. Hit ratio: Zipf(\(self.exponent)) trace, \(self.keyCount) keys, \(self.requestCount) requests, "
                    + "seed \(self.traceSeed)"
            )
            print()
            HitRatioBenchmark.printHitRatios(trace: trace, capacities: self.capacities, policies: policies)
        }
        if sections.contains(.scan) {
            let scanned = trace.interleavingOneHitWonders(scanFraction: self.scanFraction, seed: self.scanSeed)
            print()
            print(
                "2. Scan resistance: the same trace with \(scanned.keys.count - trace.keys.count) one-hit wonders "
                    + "interleaved (\(formatted(100 * self.scanFraction, digits: 0)) % of \(scanned.keys.count) "
                    + "requests); hit ratio on the Zipf requests only"
            )
            print()
            HitRatioBenchmark.printScanResistance(
                plain: trace,
                scanned: scanned,
                capacities: self.capacities,
                policies: policies
            )
        }
    }

    static let workloadCapacity = 1_000

    private static func printWorkloads(policies: [BenchmarkedPolicy]) {
        let capacity = self.workloadCapacity
        let traces: [(label: String, trace: Trace)] = [
            (
                "Zipf",
                Trace.zipf(
                    keyCount: self.keyCount,
                    exponent: self.exponent,
                    requestCount: self.requestCount,
                    seed: self.traceSeed
                )
            ),
            (
                "sliding",
                Trace.slidingWorkingSet(
                    workingSet: 5 * capacity,
                    advanceEvery: 10,
                    requestCount: self.requestCount,
                    seed: self.traceSeed
                )
            ),
            (
                "shifting",
                Trace.shiftingPopularity(
                    keyCount: self.keyCount,
                    exponent: self.exponent,
                    period: 100_000,
                    requestCount: self.requestCount,
                    seed: self.traceSeed
                )
            ),
            ("loop", Trace.loop(length: capacity * 3 / 2, requestCount: self.requestCount)),
            (
                "bursts",
                Trace.zipf(
                    keyCount: self.keyCount,
                    exponent: self.exponent,
                    requestCount: self.requestCount,
                    seed: self.traceSeed
                ).withBurstsOfOneHitWonders(length: 5 * capacity, every: 100_000)
            ),
            (
                "weak Zipf",
                Trace.zipf(
                    keyCount: self.keyCount,
                    exponent: self.weakExponent,
                    requestCount: self.requestCount,
                    seed: self.traceSeed
                )
            ),
        ]
        print()
        print(
            "3. Workloads at capacity \(capacity), \(self.requestCount) requests each: Zipf(\(self.exponent)) over "
                + "\(self.keyCount) keys; sliding = a working set of \(5 * capacity) keys moving by one key every 10 "
                + "requests, keys drawn uniformly from it; shifting = Zipf(\(self.exponent)) over \(self.keyCount) "
                + "keys whose popular keys are replaced by new ones every 100000 requests; loop = keys "
                + "0..<\(capacity * 3 / 2) in order, repeated; bursts = the Zipf trace with \(5 * capacity) "
                + "one-hit wonders in a row after every 100000 of its requests, measured on the Zipf requests; weak Zipf = Zipf(\(self.weakExponent)) over "
                + "\(self.keyCount) keys (little skew: frequency and recency both predict poorly)"
        )
        print()
        HitRatioBenchmark.printWorkloads(traces: traces, capacity: capacity, policies: policies)
    }

    static let memoryEntries = 1_000_000

    /// Heap bytes per entry of a full cache of `Int` keys and values, from glibc's heap in use
    /// before and after filling it.
    private static func printMemory(policies: [BenchmarkedPolicy]) {
        let entries = self.memoryEntries
        print()
        print(
            "4. Memory: heap bytes per entry (mallinfo2, in use after minus before) of a cache of capacity "
                + "\(entries) filled with \(entries) Int keys and values"
        )
        print()
        var table = TextTable(["store", "bytes per entry"])
        func measure(_ fill: () -> AnyObject?) -> String {
            guard let before = AllocationStatistics.read()?.heapInUseBytes else {
                return "n/a (no mallinfo2)"
            }
            let store = fill()
            let after = AllocationStatistics.read()?.heapInUseBytes ?? before
            withExtendedLifetime(store) {}
            return formatted(Double(after - min(after, before)) / Double(entries), digits: 1)
        }
        for policy in policies {
            table.append([
                policy.name,
                measure {
                    let cache = policy.makeCache(entries)
                    for key in 0..<entries {
                        cache.setValue(key, forKey: key)
                    }
                    return cache
                },
            ])
        }
        table.append([
            "[Int: Int] (floor)",
            measure {
                final class Box {
                    var dictionary: [Int: Int] = [:]
                }
                let box = Box()
                for key in 0..<entries {
                    box.dictionary[key] = key
                }
                return box
            },
        ])
        print(table.render())
    }

    private static func printThroughput(policies: [BenchmarkedPolicy]) async {
        let throughput = ThroughputBenchmark(capacity: 10_000, operationsPerThread: 2_000_000, repetitions: 5)
        print()
        print(
            "5. Throughput: ns/op, median of \(throughput.repetitions) runs of \(throughput.operationsPerThread) "
                + "ops per thread after a warm-up; capacity \(throughput.capacity); get = hit on a present key "
                + "(uniform, or Zipf 0.99 scrambled), put = keys from 4 x capacity; 2 threads = wall time / ops "
                + "of both threads"
        )
        print()
        var table = TextTable([
            "store", "get 1 thread", "get 2 threads", "Zipf get 1 thread", "Zipf get 2 threads", "put 1 thread",
            "put 2 threads",
        ])
        // Each policy that records reads again, with its read buffers drained on the maintenance thread.
        let measured = policies + BenchmarkedPolicy.inBackground(policies)
        var stores: [(name: String, make: @Sendable (Int) -> any BenchmarkedStore)] = measured.map { policy in
            (policy.name, { @Sendable capacity in policy.makeCache(capacity) })
        }
        stores.append(("Mutex<[Int: Int]> (floor)", { @Sendable _ in MutexDictionary() }))
        stores.append(("floor + hit/miss counters", { @Sendable _ in CountingMutexDictionary() }))
        // For a quick comparison of two builds: THROUGHPUT_STORE=W-TinyLFU measures only the stores whose
        // name starts with it, THROUGHPUT_COLUMNS=get1,zipf1 only those columns (get, zipf or put, and the
        // thread count); a column left out shows "-", and `stats` is then not read.
        let environment = ProcessInfo.processInfo.environment
        let storePrefix = environment["THROUGHPUT_STORE"]
        let columns = environment["THROUGHPUT_COLUMNS"].map { Set($0.split(separator: ",").map(String.init)) }
        let operations: [(name: String, operation: ThroughputBenchmark.Operation)] = [
            ("get", .getHit), ("zipf", .getHitSkewed), ("put", .put),
        ]
        for store in stores where storePrefix.map({ store.name.hasPrefix($0) }) ?? true {
            var cells = [store.name]
            for (name, operation) in operations {
                for threads in [1, 2] {
                    guard columns?.contains("\(name)\(threads)") ?? true else {
                        cells.append("-")
                        continue
                    }
                    let nanoseconds = await throughput.nanosecondsPerOperation(
                        operation,
                        threads: threads,
                        makeStore: store.make
                    )
                    cells.append(formatted(nanoseconds, digits: 1))
                }
            }
            table.append(cells)
        }
        print(table.render())
        guard storePrefix == nil, columns == nil else {
            return
        }
        let statsRead = throughput.nanosecondsPerStatsRead(of: policies[0].makeCache(throughput.capacity))
        print()
        print("Reading `stats` of a full \(policies[0].name) cache: \(formatted(statsRead, digits: 1)) ns")
    }
}
