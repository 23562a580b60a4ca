import BenchmarkSupport
import PerfKit

/// Record cost of `LatencyHistogram` on one thread and on two threads sharing one histogram, and the
/// overhead of `OperationTimings.measure` around an empty body.
enum RecordCostBenchmark {
    static let operations = 2_000_000

    static func run() async {
        var latencies = LognormalLatencies(generator: SplitMix64(seed: 0x1A7E_0001), median: 2e6, sigma: 0.6)
        let values = (0..<65_536).map { _ in latencies.next() }

        let single = LatencyHistogram()
        let singleThread = await medianNanoseconds(operations: self.operations) {
            for index in 0..<self.operations {
                single.recordNanoseconds(values[index & 0xFFFF])
            }
            return single.summary.totalCount
        }
        let shared = LatencyHistogram()
        let twoThreads = await medianNanoseconds(operations: 2 * self.operations) {
            await withTaskGroup(of: Int.self) { group in
                for thread in 0..<2 {
                    group.addTask {
                        for index in 0..<self.operations {
                            shared.recordNanoseconds(values[(index &+ thread &* 7_919) & 0xFFFF])
                        }
                        return thread
                    }
                }
                return await group.reduce(0, +)
            }
        }
        let timings = OperationTimings()
        let measureCost = await medianNanoseconds(operations: self.operations) {
            var checksum = 0
            for index in 0..<self.operations {
                checksum &+= timings.measure("noop") { index }
            }
            return checksum
        }
        let footprint = single.estimatedFootprint

        print("1. Record cost: ns/op, median of 5 runs of \(self.operations) records per thread after a warm-up")
        print()
        var table = TextTable(["operation", "ns/op"])
        table.append(["LatencyHistogram.record, 1 thread", formatted(singleThread, digits: 1)])
        table.append([
            "LatencyHistogram.record, 2 threads, one histogram (wall / ops)", formatted(twoThreads, digits: 1),
        ])
        table.append([
            "OperationTimings.measure { } (2 clock reads + lookup + record)", formatted(measureCost, digits: 1),
        ])
        print(table.render())
        print()
        print(
            "Memory of one LatencyHistogram (10 x 1 s sub-windows) after \(self.operations * 6) records: "
                + "\(footprint) bytes (\(formatted(Double(footprint) / 1024, digits: 1)) KiB)"
        )
    }
}
