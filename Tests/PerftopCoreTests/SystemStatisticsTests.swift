import Foundation
import PerfKit
import Testing

@testable import PerftopCore

@Suite struct SystemStatisticsTests {
    // MARK: - Fixtures

    /// `stat`, `meminfo` and `loadavg` copied from a real 2-CPU Linux machine.
    private func fixture(_ name: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures/proc"))
        return try String(contentsOf: url, encoding: .utf8)
    }

    // MARK: - /proc/stat

    @Test func parsesRealCPULines() throws {
        let cpu = try SystemStatistics.parseCPU(stat: try self.fixture("stat"), clockTicksPerSecond: 100)
        #expect(
            cpu.total
                == SystemStatistics.CPUTimes(
                    user: 229.14,
                    nice: 0,
                    system: 45.02,
                    idle: 1062.98,
                    iowait: 6.06,
                    irq: 0,
                    softirq: 1.53,
                    steal: 1.44
                )
        )
        #expect(cpu.cores.map(\.index) == [0, 1])
        #expect(cpu.cores[1].times.user == 128.76)
        #expect(cpu.cores[0].times.idle == 549.89)
    }

    @Test func convertsTicksWithTheGivenClockRate() throws {
        let cpu = try SystemStatistics.parseCPU(stat: "cpu  250 0 0 500 0 0 0 0\n", clockTicksPerSecond: 250)
        #expect(cpu.total.user == 1)
        #expect(cpu.total.idle == 2)
        #expect(cpu.cores.isEmpty)
    }

    @Test func rejectsATruncatedCPULine() {
        let error = #expect(throws: SystemStatisticsError.self) {
            try SystemStatistics.parseCPU(stat: "cpu  1 2 3 4 5 6 7 8\ncpu0 1 2 3\n")
        }
        #expect(error?.description == "/proc/stat:2: expected 8 numbers after \"cpu0\", found 3")
    }

    @Test func rejectsANonNumericCPUValue() {
        let error = #expect(throws: SystemStatisticsError.self) {
            try SystemStatistics.parseCPU(stat: "intr 1\ncpu  1 2 x 4 5 6 7 8\n", path: "stat")
        }
        #expect(error?.description == "stat:2: \"x\" is not a number")
    }

    @Test func rejectsAFileWithoutACPULine() {
        let error = #expect(throws: SystemStatisticsError.self) {
            try SystemStatistics.parseCPU(stat: "intr 1\nctxt 2\n")
        }
        #expect(error?.description == "/proc/stat: no \"cpu\" line")
    }

    // MARK: - /proc/meminfo

    @Test func parsesRealMeminfo() throws {
        let memory = try SystemStatistics.parseMemory(meminfo: try self.fixture("meminfo"))
        #expect(
            memory
                == SystemStatistics.Memory(
                    totalBytes: 24_683_656 * 1024,
                    availableBytes: 24_286_420 * 1024,
                    freeBytes: 23_709_544 * 1024,
                    buffersBytes: 5628 * 1024,
                    cachedBytes: 768_016 * 1024,
                    swapTotalBytes: 0,
                    swapFreeBytes: 0
                )
        )
    }

    @Test func toleratesAMissingMemAvailable() throws {
        let memory = try SystemStatistics.parseMemory(meminfo: "MemTotal: 100 kB\nMemFree: 40 kB\n")
        #expect(memory.totalBytes == 102_400)
        #expect(memory.freeBytes == 40_960)
        #expect(memory.availableBytes == nil)
        #expect(memory.swapTotalBytes == nil)
    }

    @Test func ignoresUnitlessLinesItDoesNotUse() throws {
        let memory = try SystemStatistics.parseMemory(meminfo: "MemTotal: 100 kB\nHugePages_Total:       0\n")
        #expect(memory.totalBytes == 102_400)
    }

    @Test func rejectsAByteLineWithoutKB() {
        let error = #expect(throws: SystemStatisticsError.self) {
            try SystemStatistics.parseMemory(meminfo: "MemTotal: 100 kB\nMemFree: 40 kB\nMemAvailable: 70\n")
        }
        #expect(error?.description == "/proc/meminfo:3: expected \"MemAvailable: value kB\"")
    }

    // Found while writing Fuzz/FuzzSystemStatistics (which did not reach it in 25 million runs): the conversion
    // to bytes trapped on overflow.
    @Test func rejectsASizeOfMoreBytesThan64BitsHold() throws {
        let error = #expect(throws: SystemStatisticsError.self) {
            try SystemStatistics.parseMemory(meminfo: "MemTotal: 100 kB\nMemFree: 18014398509481984 kB\n")
        }
        #expect(error?.description == "/proc/meminfo:2: MemFree: 18014398509481984 kB is more bytes than 64 bits hold")
        #expect(try SystemStatistics.parseMemory(meminfo: "MemTotal: 18014398509481983 kB\n").totalBytes == .max - 1023)
    }

    @Test func rejectsAMeminfoWithoutMemTotal() {
        let error = #expect(throws: SystemStatisticsError.self) {
            try SystemStatistics.parseMemory(meminfo: "MemFree: 40 kB\n")
        }
        #expect(error?.description == "/proc/meminfo: no MemTotal line")
    }

    // MARK: - /proc/loadavg

    @Test func parsesRealLoadAverages() throws {
        let load = try SystemStatistics.parseLoadAverage(loadavg: try self.fixture("loadavg"))
        #expect(load == SystemStatistics.LoadAverage(one: 0.42, five: 0.41, fifteen: 0.26))
    }

    @Test(arguments: ["", "0.1 0.2\n", "a b c 1/2 3\n"])
    func rejectsAMalformedLoadavg(text: String) {
        let error = #expect(throws: SystemStatisticsError.self) {
            try SystemStatistics.parseLoadAverage(loadavg: text)
        }
        #expect(error?.description == "/proc/loadavg:1: expected three load averages")
    }

    // MARK: - Reading

    @Test func readsAFixtureRoot() throws {
        let root = try #require(Bundle.module.url(forResource: "proc", withExtension: nil, subdirectory: "Fixtures"))
        let statistics = try SystemStatistics.read(procRoot: root.path)
        #expect(statistics.cpu.cores.count == 2)
        #expect(statistics.memory.totalBytes == 24_683_656 * 1024)
        #expect(statistics.load.fifteen == 0.26)
    }

    @Test func namesAMissingFile() {
        let error = #expect(throws: SystemStatisticsError.self) {
            try SystemStatistics.read(procRoot: "/nonexistent-proc")
        }
        #expect(error?.description == "/nonexistent-proc/stat: no such file or directory")
    }
}
