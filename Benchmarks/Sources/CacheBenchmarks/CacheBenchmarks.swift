import PerfKit

/// Measures PerfKit's ``Cache``: hit ratios on a Zipf trace against Belady's optimum, scan
/// resistance, and get/put cost against a plain locked dictionary.
///
/// Run with `swift run -c release --package-path Benchmarks CacheBenchmarks`. Traces are seeded and
/// deterministic; throughput figures depend on the machine.
@main
struct CacheBenchmarks {
    static let keyCount = 100_000
    static let requestCount = 1_000_000
    static let exponent = 0.99
    static let traceSeed: UInt64 = 0x5EED_0001
    static let scanSeed: UInt64 = 0x5EED_0002
    static let scanFraction = 0.2
    static let capacities = [
        (label: "1%", capacity: Self.keyCount / 100),
        (label: "0.1%", capacity: Self.keyCount / 1_000),
    ]

    static func main() async {
        let clock = ContinuousClock()
        let start = clock.now
        let policies = BenchmarkedPolicy.all
        print("PerfKit Cache benchmarks; policies: \(policies.map(\.name).joined(separator: ", "))")

        let trace = Trace.zipf(
            keyCount: self.keyCount,
            exponent: self.exponent,
            requestCount: self.requestCount,
            seed: self.traceSeed
        )
        print()
        print(
            "1. Hit ratio: Zipf(\(self.exponent)) trace, \(self.keyCount) keys, \(self.requestCount) requests, "
                + "seed \(self.traceSeed)"
        )
        print()
        HitRatioBenchmark.printHitRatios(trace: trace, capacities: self.capacities, policies: policies)

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

        let throughput = ThroughputBenchmark(capacity: 10_000, operationsPerThread: 200_000, repetitions: 5)
        print()
        print(
            "3. Throughput: ns/op, median of \(throughput.repetitions) runs of \(throughput.operationsPerThread) "
                + "ops per thread after a warm-up; capacity \(throughput.capacity); get = hit on a present key, "
                + "put = keys from 4 x capacity; 2 threads = wall time / ops of both threads"
        )
        print()
        var table = TextTable(["store", "get 1 thread", "get 2 threads", "put 1 thread", "put 2 threads"])
        var stores: [(name: String, make: @Sendable (Int) -> any BenchmarkedStore)] = policies.map { policy in
            (policy.name, { @Sendable capacity in policy.makeCache(capacity) })
        }
        stores.append(("Mutex<[Int: Int]> (floor)", { @Sendable _ in MutexDictionary() }))
        for store in stores {
            var cells = [store.name]
            for operation in [ThroughputBenchmark.Operation.getHit, .put] {
                for threads in [1, 2] {
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
        print()
        print("Total time: \(clock.now - start)")
    }
}
