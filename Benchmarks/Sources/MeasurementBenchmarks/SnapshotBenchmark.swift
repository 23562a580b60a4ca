import BenchmarkSupport
import Foundation
import PerfKit

/// Time and bytes to encode an agent snapshot holding 10 caches, 10 processors and 50 latency
/// histograms, the size of a busy service.
enum SnapshotBenchmark {
    static let encodings = 200

    static func run() {
        let registry = MetricsRegistry()
        for index in 0..<10 {
            let cache = Cache<Int, Int>(name: "cache-\(index)", capacity: 1_000)
            for key in 0..<2_000 {
                cache.setValue(key, forKey: key)
                _ = cache.value(forKey: key / 2)
            }
            registry.register(cache)
            registry.register(AsyncProcessor(name: "processor-\(index)", maxConcurrency: 4))
        }
        let timings = OperationTimings()
        var latencies = LognormalLatencies(generator: SplitMix64(seed: 0x1A7E_0003), median: 5e6, sigma: 0.7)
        for operation in 0..<50 {
            for _ in 0..<1_000 {
                timings.record(.nanoseconds(latencies.next()), for: "operation-\(operation)")
            }
        }
        registry.register(timings)

        let clock = ContinuousClock()
        var bytes = 0
        var sampleCount = 0
        var durations: [Duration] = []
        for _ in 0...self.encodings {
            let start = clock.now
            let snapshot = registry.snapshot(agent: "benchmark")
            let line = (try? snapshot.jsonLine()) ?? Data()
            durations.append(start.duration(to: clock.now))
            bytes = line.count
            sampleCount = snapshot.samples.count
        }
        durations.removeFirst()
        durations.sort()

        print("3. Snapshot: 10 caches, 10 processors, 50 latency histograms; collect + encode one JSON line")
        print()
        var table = TextTable(["samples", "bytes", "median", "p95 of \(self.encodings)"])
        table.append([
            "\(sampleCount)", "\(bytes)", "\(durations[durations.count / 2])",
            "\(durations[durations.count * 95 / 100])",
        ])
        print(table.render())
    }
}
