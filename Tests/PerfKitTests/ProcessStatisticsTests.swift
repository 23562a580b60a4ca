import Foundation
import Testing

@testable import PerfKit

@Suite struct ProcessStatisticsTests {
    // MARK: - Fixtures

    /// A procfs root holding process 4242, captured from a real python3 process on Linux.
    private var fixtureRoot: String {
        Bundle.module.url(forResource: "proc", withExtension: nil, subdirectory: "Fixtures")!.path
    }

    private static let status = """
        Name:\tx
        State:\tS (sleeping)
        VmRSS:\t    2048 kB
        Threads:\t3
        voluntary_ctxt_switches:\t7
        nonvoluntary_ctxt_switches:\t2

        """

    private static func stat(command: String = "x", fields: String? = nil) -> String {
        let rest = fields ?? "S 1 1 1 0 -1 4194304 10 0 3 0 250 50 0 0 20 0 3 0 100 8192 5"
        return "99 (\(command)) \(rest)\n"
    }

    // MARK: - Parsing

    @Test func parsesARealProcess() throws {
        let directory = self.fixtureRoot + "/4242"
        let statistics = try ProcessStatistics.parse(
            stat: try String(contentsOfFile: directory + "/stat", encoding: .utf8),
            status: try String(contentsOfFile: directory + "/status", encoding: .utf8),
            statPath: "stat",
            statusPath: "status",
            clockTicksPerSecond: 100,
            pageSize: 4096
        )
        #expect(statistics.pid == 4242)
        #expect(statistics.command == "python3")
        #expect(statistics.state == "S")
        #expect(statistics.residentBytes == 131_408 * 1024)
        #expect(statistics.virtualBytes == 139_104_256)
        #expect(statistics.minorFaults == 32_345)
        #expect(statistics.majorFaults == 0)
        #expect(statistics.threads == 1)
        #expect(statistics.userCPUSeconds == 0.29)
        #expect(statistics.systemCPUSeconds == 0.16)
        #expect(statistics.voluntaryContextSwitches == 15)
        #expect(statistics.involuntaryContextSwitches == 67)
        #expect(statistics.openFileDescriptors == nil)
    }

    @Test(arguments: ["a) b (c", "x y", "((", ")", "a)b) (c"])
    func parsesCommandNamesWithSpacesAndParentheses(command: String) throws {
        let statistics = try ProcessStatistics.parse(stat: Self.stat(command: command), status: Self.status)
        #expect(statistics.command == command)
        #expect(statistics.pid == 99)
        #expect(statistics.state == "S")
        #expect(statistics.minorFaults == 10)
        #expect(statistics.majorFaults == 3)
        #expect(statistics.threads == 3)
        #expect(statistics.virtualBytes == 8192)
        #expect(statistics.voluntaryContextSwitches == 7)
        #expect(statistics.involuntaryContextSwitches == 2)
    }

    @Test func convertsClockTicksToSeconds() throws {
        let statistics = try ProcessStatistics.parse(
            stat: Self.stat(),
            status: Self.status,
            statPath: "stat",
            statusPath: "status",
            clockTicksPerSecond: 250,
            pageSize: 4096
        )
        #expect(statistics.userCPUSeconds == 1.0)
        #expect(statistics.systemCPUSeconds == 0.2)
        #expect(statistics.cpuSeconds == 1.2)
    }

    @Test func usesTheStatPageCountWithoutVmRSS() throws {
        let status = Self.status.split(separator: "\n").filter { !$0.hasPrefix("VmRSS") }.joined(separator: "\n")
        let statistics = try ProcessStatistics.parse(
            stat: Self.stat(),
            status: status,
            statPath: "stat",
            statusPath: "status",
            clockTicksPerSecond: 100,
            pageSize: 4096
        )
        #expect(statistics.residentBytes == 5 * 4096)
    }

    @Test func rejectsATruncatedStatLine() {
        #expect(throws: ProcessStatisticsError.malformed(path: "stat", problem: "13 fields, expected at least 24")) {
            try ProcessStatistics.parse(stat: "99 (x) S 1 1 1 0 -1 4194304 10 0 3 0\n", status: Self.status)
        }
    }

    @Test func rejectsAStatLineWithoutParentheses() {
        #expect(throws: ProcessStatisticsError.malformed(path: "stat", problem: "no command name in parentheses")) {
            try ProcessStatistics.parse(stat: "99 x S 1\n", status: Self.status)
        }
    }

    @Test func namesTheFieldThatIsNotANumber() {
        let stat = Self.stat(fields: "S 1 1 1 0 -1 4194304 10 0 3 0 abc 50 0 0 20 0 3 0 100 8192 5")
        let error = #expect(throws: ProcessStatisticsError.self) {
            try ProcessStatistics.parse(stat: stat, status: Self.status)
        }
        #expect(error?.description == "stat: field 14 is not a number")
    }

    @Test func rejectsAStatusWithoutContextSwitches() {
        let status = "Name:\tx\nVmRSS:\t1 kB\n"
        let error = #expect(throws: ProcessStatisticsError.self) {
            try ProcessStatistics.parse(stat: Self.stat(), status: status)
        }
        #expect(error?.description == "status: no voluntary_ctxt_switches line")
    }

    @Test func namesTheStatusLineThatIsMalformed() {
        let status = "Name:\tx\nVmRSS:\tlots kB\n"
        let error = #expect(throws: ProcessStatisticsError.self) {
            try ProcessStatistics.parse(stat: Self.stat(), status: status)
        }
        #expect(error?.description == "status:2: expected \"VmRSS: number\"")
    }

    // Found while writing Fuzz/FuzzProcStat (which did not reach it in 130 million runs): the conversions to
    // bytes trapped on overflow.
    @Test func rejectsAResidentSizeOfMoreBytesThan64BitsHold() {
        let status = Self.status.replacing("VmRSS:\t    2048 kB", with: "VmRSS:\t18014398509481984 kB")
        #expect(
            throws: ProcessStatisticsError.malformed(
                path: "status",
                problem: "VmRSS of 18014398509481984 kB is more bytes than 64 bits hold"
            )
        ) {
            try ProcessStatistics.parse(stat: Self.stat(), status: status)
        }
        let withoutVmRSS = Self.status.split(separator: "\n").filter { !$0.hasPrefix("VmRSS") }.joined(separator: "\n")
        let stat = Self.stat(fields: "S 1 1 1 0 -1 4194304 10 0 3 0 250 50 0 0 20 0 3 0 100 8192 18446744073709551615")
        #expect(
            throws: ProcessStatisticsError.malformed(
                path: "stat",
                problem: "field 24 of 18446744073709551615 pages is more bytes than 64 bits hold"
            )
        ) {
            try ProcessStatistics.parse(stat: stat, status: withoutVmRSS)
        }
    }

    // MARK: - Reading

    @Test func readsAProcessUnderAFixtureRoot() throws {
        let statistics = try ProcessStatistics.read(pid: 4242, procRoot: self.fixtureRoot)
        #expect(statistics.command == "python3")
        #expect(statistics.openFileDescriptors == 5)
    }

    @Test func reportsAMissingProcess() {
        let error = #expect(throws: ProcessStatisticsError.self) {
            try ProcessStatistics.read(pid: 123, procRoot: self.fixtureRoot)
        }
        #expect(error == .noSuchProcess(pid: 123))
        #expect(error?.description == "no process 123")
    }

    @Test func readsItselfFromTheRealProc() throws {
        let statistics = try ProcessStatistics.read()
        #expect(statistics.pid == getpid())
        #expect(statistics.residentBytes > 0)
        #expect(statistics.virtualBytes >= statistics.residentBytes)
        #expect(statistics.threads >= 1)
        #expect(statistics.cpuSeconds > 0)
        #expect((statistics.openFileDescriptors ?? 0) >= 3)
    }

    // MARK: - Samples

    @Test func sampleSourceEmitsPrometheusProcessNames() throws {
        let samples = ProcessSampleSource(pid: 4242, procRoot: self.fixtureRoot).collectSamples()
        let values = Dictionary(uniqueKeysWithValues: samples.map { ($0.seriesID.description, $0) })
        #expect(values["process_resident_memory_bytes"]?.value == 131_408.0 * 1024)
        #expect(values["process_resident_memory_bytes"]?.kind == .gauge)
        #expect(values["process_virtual_memory_bytes"]?.value == 139_104_256)
        #expect(values["process_cpu_seconds_total"]?.kind == .counter)
        #expect(values["process_minor_faults_total"]?.value == 32_345)
        #expect(values["process_major_faults_total"]?.value == 0)
        #expect(values["process_context_switches_total{kind=\"voluntary\"}"]?.value == 15)
        #expect(values["process_context_switches_total{kind=\"involuntary\"}"]?.value == 67)
        #expect(values["process_threads"]?.value == 1)
        #expect(values["process_open_fds"]?.value == 5)
        #expect(samples.count == 9)
    }

    @Test func sampleSourceReturnsNothingForAMissingProcess() {
        #expect(ProcessSampleSource(pid: 123, procRoot: self.fixtureRoot).collectSamples().isEmpty)
    }

    @Test func sampleSourceReadsItself() {
        let samples = ProcessSampleSource().collectSamples()
        let resident = samples.first { $0.name == "process_resident_memory_bytes" }
        #expect((resident?.value ?? 0) > 0)
    }

    @Test func readsTheCallingProcessCPUTimeFromItsClockAsProcDoes() throws {
        let before = try #require(ProcessStatistics.callingProcessCPUSeconds())
        var spin: UInt64 = 1
        for index in 0..<20_000_000 {
            spin = spin &* 6_364_136_223_846_793_005 &+ UInt64(index)
        }
        #expect(spin != 0)
        let fromProc = try ProcessStatistics.read().cpuSeconds
        let after = try #require(ProcessStatistics.callingProcessCPUSeconds())
        #expect(after > before)
        // The same clock as /proc's utime and stime, read a moment apart: within a few ticks, or the
        // CPU other test threads used in that moment.
        #expect(abs(after - fromProc) < 0.25)
    }
}
