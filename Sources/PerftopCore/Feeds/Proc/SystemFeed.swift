import NIOPosix
import PerfKit

/// The machine's CPU time, memory and load averages from procfs, as node-exporter names them.
///
/// | name | kind | labels |
/// |---|---|---|
/// | `node_cpu_seconds_total` | counter | `mode`; all CPUs together, and again per CPU with `cpu` (`"0"`, `"1"`, …) |
/// | `node_memory_{MemTotal,MemAvailable,MemFree,Buffers,Cached,SwapTotal,SwapFree}_bytes` | gauge | |
/// | `node_load1`, `node_load5`, `node_load15` | gauge | |
///
/// A memory field the kernel does not report (e.g. `MemAvailable` before Linux 3.14) has no sample.
/// Each poll reads three small files (capped at 1 MiB each) on NIO's blocking-I/O thread pool, never on
/// a cooperative thread, and gives up at the timeout.
public struct SystemFeed: Feed {
    /// The name every system feed reports under; derived machine-wide series use it too.
    public static let sourceName = "proc"
    /// Always ``sourceName``.
    public let name = Self.sourceName
    /// Where procfs is mounted.
    public let procRoot: String

    /// Creates the feed.
    ///
    /// - Parameter procRoot: where procfs is mounted; tests pass a directory of fixture files.
    public init(procRoot: String = "/proc") {
        self.procRoot = procRoot
    }

    /// Reads `stat`, `meminfo` and `loadavg` and returns their samples.
    ///
    /// - Throws: ``FeedError`` with the ``SystemStatisticsError`` description (file, line, problem), or
    ///   `timeout after …`.
    public func poll(timeout: Duration) async throws -> [Sample] {
        let procRoot = self.procRoot
        let statistics = try await withDeadline(timeout) {
            try await NIOThreadPool.singleton.runIfActive {
                do {
                    return try SystemStatistics.read(procRoot: procRoot)
                } catch {
                    throw FeedError("\(error)")
                }
            }
        }
        return Self.samples(from: statistics)
    }

    /// The samples that describe `statistics`, with the names in the table above.
    ///
    /// Cost: linear in the number of CPUs; no I/O.
    public static func samples(from statistics: SystemStatistics) -> [Sample] {
        var samples: [Sample] = []
        samples.reserveCapacity(8 * (statistics.cpu.cores.count + 1) + 10)
        for (mode, seconds) in statistics.cpu.total.modes {
            samples.append(
                Sample(name: MetricName.nodeCPUSeconds, labels: [LabelName.mode: mode], kind: .counter, value: seconds)
            )
        }
        for core in statistics.cpu.cores {
            for (mode, seconds) in core.times.modes {
                samples.append(
                    Sample(
                        name: MetricName.nodeCPUSeconds,
                        labels: [LabelName.cpu: String(core.index), LabelName.mode: mode],
                        kind: .counter,
                        value: seconds
                    )
                )
            }
        }
        let memory = statistics.memory
        let memoryFields: [(String, UInt64?)] = [
            ("MemTotal", memory.totalBytes),
            ("MemAvailable", memory.availableBytes),
            ("MemFree", memory.freeBytes),
            ("Buffers", memory.buffersBytes),
            ("Cached", memory.cachedBytes),
            ("SwapTotal", memory.swapTotalBytes),
            ("SwapFree", memory.swapFreeBytes),
        ]
        for case (let field, let bytes?) in memoryFields {
            samples.append(Sample(name: "node_memory_\(field)_bytes", kind: .gauge, value: Double(bytes)))
        }
        samples.append(Sample(name: MetricName.nodeLoad1, kind: .gauge, value: statistics.load.one))
        samples.append(Sample(name: MetricName.nodeLoad5, kind: .gauge, value: statistics.load.five))
        samples.append(Sample(name: MetricName.nodeLoad15, kind: .gauge, value: statistics.load.fifteen))
        return samples
    }
}
