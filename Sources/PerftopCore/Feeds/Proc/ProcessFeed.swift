import NIOPosix
import PerfKit

/// One process's memory, CPU time, page faults, context switches, threads and open descriptors from procfs.
///
/// The samples are those of PerfKit's ``ProcessSampleSource`` (`process_resident_memory_bytes`,
/// `process_cpu_seconds_total`, …), so a process watched from outside looks the same as an agent
/// reporting on itself. Each poll reads two small files and lists `/proc/PID/fd` on NIO's blocking-I/O
/// thread pool, never on a cooperative thread, and gives up at the timeout.
public struct ProcessFeed: Feed {
    /// `pid:N`, or `self` when watching perftop's own process.
    public let name: String
    /// The process to read, or `nil` for perftop's own process.
    public let pid: Int32?
    /// Where procfs is mounted.
    public let procRoot: String

    /// Creates the feed.
    ///
    /// - Parameters:
    ///   - pid: the process to read, or `nil` (the default) for perftop's own process.
    ///   - procRoot: where procfs is mounted; tests pass a directory of fixture files.
    public init(pid: Int32? = nil, procRoot: String = "/proc") {
        self.pid = pid
        self.procRoot = procRoot
        self.name = pid.map { "pid:\($0)" } ?? "self"
    }

    /// Reads the process's statistics and returns their samples.
    ///
    /// - Throws: ``FeedError``: `process N exited` once the process is gone or a zombie, a file and its problem
    ///   (e.g. `/proc/1/status: permission denied`), or `timeout after …`.
    public func poll(timeout: Duration) async throws -> [Sample] {
        let pid = self.pid
        let procRoot = self.procRoot
        let statistics = try await withDeadline(timeout) {
            try await NIOThreadPool.singleton.runIfActive {
                let statistics: ProcessStatistics
                do {
                    statistics = try ProcessStatistics.read(pid: pid, procRoot: procRoot)
                } catch let error as ProcessStatisticsError where error.kind == .noSuchProcess {
                    throw FeedError("process \(pid.map(String.init) ?? "self") exited")
                } catch {
                    throw FeedError("\(error)")
                }
                guard statistics.state != "Z" && statistics.state != "X" else {
                    throw FeedError("process \(statistics.pid) exited")
                }
                return statistics
            }
        }
        return ProcessSampleSource.samples(from: statistics)
    }
}
