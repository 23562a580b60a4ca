/// Reports a process's memory, CPU time, page faults, context switches, threads and open descriptors as
/// samples with the Prometheus client library names (`process_resident_memory_bytes`, …).
///
/// Register it with a ``MetricsRegistry`` so an agent's snapshot carries its own process statistics:
///
/// | name | kind | labels |
/// |---|---|---|
/// | `process_resident_memory_bytes` | gauge | |
/// | `process_virtual_memory_bytes` | gauge | |
/// | `process_cpu_seconds_total` | counter | |
/// | `process_minor_faults_total` | counter | |
/// | `process_major_faults_total` | counter | |
/// | `process_context_switches_total` | counter | `kind`: `voluntary` or `involuntary` |
/// | `process_threads` | gauge | |
/// | `process_open_fds` | gauge (absent when `/proc/PID/fd` is unreadable) | |
///
/// Cost: each ``collectSamples()`` call reads `/proc` through ``ProcessStatistics/read(pid:procRoot:)``,
/// tens of microseconds. It is Linux-only; elsewhere, and whenever reading fails (the process has exited,
/// permission is denied), it returns no samples rather than stale or invented values.
public struct ProcessSampleSource: SampleSource {
    /// The process to read, or `nil` for the calling process.
    public let pid: Int32?
    /// Where procfs is mounted.
    public let procRoot: String

    /// Creates a source for a process.
    ///
    /// - Parameters:
    ///   - pid: the process to read, or `nil` (the default) for the calling process.
    ///   - procRoot: where procfs is mounted; tests pass a directory of fixture files.
    public init(pid: Int32? = nil, procRoot: String = "/proc") {
        self.pid = pid
        self.procRoot = procRoot
    }

    /// The process's samples now, or an empty array if `/proc` could not be read.
    public func collectSamples() -> [Sample] {
        guard let statistics = try? ProcessStatistics.read(pid: self.pid, procRoot: self.procRoot) else {
            return []
        }
        return Self.samples(from: statistics)
    }

    /// The samples that describe `statistics`, with the names in the table above.
    ///
    /// Cost: a handful of small allocations; no I/O.
    public static func samples(from statistics: ProcessStatistics) -> [Sample] {
        var samples = [
            Sample(name: MetricName.processResidentMemory, kind: .gauge, value: Double(statistics.residentBytes)),
            Sample(name: MetricName.processVirtualMemory, kind: .gauge, value: Double(statistics.virtualBytes)),
            Sample(name: MetricName.processCPUSeconds, kind: .counter, value: statistics.cpuSeconds),
            Sample(name: MetricName.processMinorFaults, kind: .counter, value: Double(statistics.minorFaults)),
            Sample(name: MetricName.processMajorFaults, kind: .counter, value: Double(statistics.majorFaults)),
            Sample(
                name: MetricName.processContextSwitches,
                labels: [LabelName.kind: LabelValue.ContextSwitch.voluntary.rawValue],
                kind: .counter,
                value: Double(statistics.voluntaryContextSwitches)
            ),
            Sample(
                name: MetricName.processContextSwitches,
                labels: [LabelName.kind: LabelValue.ContextSwitch.involuntary.rawValue],
                kind: .counter,
                value: Double(statistics.involuntaryContextSwitches)
            ),
            Sample(name: MetricName.processThreads, kind: .gauge, value: Double(statistics.threads)),
        ]
        if let descriptors = statistics.openFileDescriptors {
            samples.append(
                Sample(name: MetricName.processOpenFileDescriptors, kind: .gauge, value: Double(descriptors))
            )
        }
        return samples
    }
}
