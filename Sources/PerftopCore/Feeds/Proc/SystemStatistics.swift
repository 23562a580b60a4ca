import PerfKit

/// The machine-wide statistics perftop reads from procfs: CPU time per mode (`/proc/stat`), memory
/// (`/proc/meminfo`) and load averages (`/proc/loadavg`).
///
/// The parsers are pure functions of the file text, so they are tested on fixture files; ``read(procRoot:)``
/// reads the live files. Errors name the file and, where there is one, the line.
public struct SystemStatistics: Sendable, Hashable {
    /// CPU time, for all CPUs together and per CPU.
    public var cpu: CPU
    /// Memory and swap.
    public var memory: Memory
    /// Load averages.
    public var load: LoadAverage

    /// Creates statistics from known values.
    public init(cpu: CPU, memory: Memory, load: LoadAverage) {
        self.cpu = cpu
        self.memory = memory
        self.load = load
    }
}

// MARK: - Values

extension SystemStatistics {
    /// Cumulative CPU time by mode, in seconds, as the `cpu` lines of `/proc/stat` count it.
    public struct CPUTimes: Sendable, Hashable {
        /// Time running user code (including guests).
        public var user: Double
        /// Time running user code at a positive nice value.
        public var nice: Double
        /// Time running kernel code.
        public var system: Double
        /// Time idle.
        public var idle: Double
        /// Time idle while I/O was outstanding.
        public var iowait: Double
        /// Time serving hardware interrupts.
        public var irq: Double
        /// Time serving software interrupts.
        public var softirq: Double
        /// Time stolen by the hypervisor for other guests.
        public var steal: Double

        /// Creates CPU times, in seconds.
        public init(
            user: Double,
            nice: Double,
            system: Double,
            idle: Double,
            iowait: Double,
            irq: Double,
            softirq: Double,
            steal: Double
        ) {
            self.user = user
            self.nice = nice
            self.system = system
            self.idle = idle
            self.iowait = iowait
            self.irq = irq
            self.softirq = softirq
            self.steal = steal
        }

        /// The modes in `/proc/stat` order, named as node-exporter's `mode` label names them.
        public var modes: [(mode: String, seconds: Double)] {
            let seconds: [(LabelValue.CPUMode, Double)] = [
                (.user, self.user), (.nice, self.nice), (.system, self.system), (.idle, self.idle),
                (.iowait, self.iowait), (.irq, self.irq), (.softirq, self.softirq), (.steal, self.steal),
            ]
            return seconds.map { ($0.0.rawValue, $0.1) }
        }
    }

    /// The `cpu` lines of `/proc/stat`.
    public struct CPU: Sendable, Hashable {
        /// The aggregate `cpu` line: all CPUs together.
        public var total: CPUTimes
        /// The `cpuN` lines, in file order.
        public var cores: [Core]

        /// One `cpuN` line.
        public struct Core: Sendable, Hashable {
            /// The CPU number `N`.
            public var index: Int
            /// Its times.
            public var times: CPUTimes

            /// Creates a core's times.
            public init(index: Int, times: CPUTimes) {
                self.index = index
                self.times = times
            }
        }

        /// Creates CPU statistics.
        public init(total: CPUTimes, cores: [Core]) {
            self.total = total
            self.cores = cores
        }
    }

    /// Memory and swap sizes in bytes from `/proc/meminfo`; a field the kernel did not report is `nil`.
    public struct Memory: Sendable, Hashable {
        /// `MemTotal`: usable RAM.
        public var totalBytes: UInt64
        /// `MemAvailable`: the kernel's estimate of memory available without swapping (Linux 3.14 and later).
        public var availableBytes: UInt64?
        /// `MemFree`: memory not used at all.
        public var freeBytes: UInt64?
        /// `Buffers`: block device buffers.
        public var buffersBytes: UInt64?
        /// `Cached`: the page cache.
        public var cachedBytes: UInt64?
        /// `SwapTotal`: swap space.
        public var swapTotalBytes: UInt64?
        /// `SwapFree`: unused swap space.
        public var swapFreeBytes: UInt64?

        /// Creates memory statistics, in bytes.
        public init(
            totalBytes: UInt64,
            availableBytes: UInt64? = nil,
            freeBytes: UInt64? = nil,
            buffersBytes: UInt64? = nil,
            cachedBytes: UInt64? = nil,
            swapTotalBytes: UInt64? = nil,
            swapFreeBytes: UInt64? = nil
        ) {
            self.totalBytes = totalBytes
            self.availableBytes = availableBytes
            self.freeBytes = freeBytes
            self.buffersBytes = buffersBytes
            self.cachedBytes = cachedBytes
            self.swapTotalBytes = swapTotalBytes
            self.swapFreeBytes = swapFreeBytes
        }
    }

    /// The run-queue load averages of `/proc/loadavg`.
    public struct LoadAverage: Sendable, Hashable {
        /// Over the last minute.
        public var one: Double
        /// Over the last five minutes.
        public var five: Double
        /// Over the last fifteen minutes.
        public var fifteen: Double

        /// Creates load averages.
        public init(one: Double, five: Double, fifteen: Double) {
            self.one = one
            self.five = five
            self.fifteen = fifteen
        }
    }
}

// MARK: - Errors

/// Why ``SystemStatistics`` could not be read: one line naming the file, the line number where there is
/// one, and the problem, e.g. `/proc/meminfo:3: expected "MemTotal: value kB"`.
public struct SystemStatisticsError: Error, Hashable, CustomStringConvertible {
    /// The file, e.g. `/proc/meminfo`.
    public var path: String
    /// The 1-based line number, or `nil` when the problem is the file as a whole.
    public var line: Int?
    /// What is wrong.
    public var problem: String

    /// Creates an error.
    public init(path: String, line: Int? = nil, problem: String) {
        self.path = path
        self.line = line
        self.problem = problem
    }

    public var description: String {
        if let line = self.line {
            return "\(self.path):\(line): \(self.problem)"
        }
        return "\(self.path): \(self.problem)"
    }
}

// MARK: - Reading

extension SystemStatistics {
    /// Reads `stat`, `meminfo` and `loadavg` under `procRoot` and parses them.
    ///
    /// Cost: three small files, each read whole and capped at 1 MiB; blocking, so call it off the
    /// cooperative pool (``SystemFeed`` does).
    ///
    /// - Parameter procRoot: where procfs is mounted; tests pass a directory of fixture files.
    /// - Throws: ``SystemStatisticsError``.
    public static func read(procRoot: String = "/proc") throws(SystemStatisticsError) -> SystemStatistics {
        let statPath = procRoot + "/stat"
        let meminfoPath = procRoot + "/meminfo"
        let loadavgPath = procRoot + "/loadavg"
        return SystemStatistics(
            cpu: try self.parseCPU(stat: try self.readFile(statPath), path: statPath),
            memory: try self.parseMemory(meminfo: try self.readFile(meminfoPath), path: meminfoPath),
            load: try self.parseLoadAverage(loadavg: try self.readFile(loadavgPath), path: loadavgPath)
        )
    }

    /// Parses the `cpu` and `cpuN` lines of `/proc/stat`; other lines are ignored.
    ///
    /// Each line needs at least eight numbers (user nice system idle iowait irq softirq steal), counted in
    /// clock ticks and converted to seconds. Cost: linear in the text; no I/O.
    ///
    /// - Parameters:
    ///   - stat: the file's text.
    ///   - path: the file name used in errors.
    ///   - clockTicksPerSecond: `USER_HZ`; the default is this machine's `sysconf(_SC_CLK_TCK)`.
    /// - Throws: ``SystemStatisticsError`` for a short or non-numeric `cpu` line, or no `cpu` line at all.
    public static func parseCPU(
        stat: String,
        path: String = "/proc/stat",
        clockTicksPerSecond: Double = ProcessStatistics.clockTicksPerSecond
    ) throws(SystemStatisticsError) -> CPU {
        var total: CPUTimes?
        var cores: [CPU.Core] = []
        for (offset, line) in stat.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard line.hasPrefix("cpu") else {
                continue
            }
            let words = line.split(separator: " ")
            let label = words[0]
            let lineNumber = offset + 1
            let index: Int?
            if label == "cpu" {
                index = nil
            } else if let number = Int(label.dropFirst(3)), number >= 0 {
                index = number
            } else {
                throw SystemStatisticsError(path: path, line: lineNumber, problem: "unknown CPU \"\(label)\"")
            }
            guard words.count >= 9 else {
                throw SystemStatisticsError(
                    path: path,
                    line: lineNumber,
                    problem: "expected 8 numbers after \"\(label)\", found \(words.count - 1)"
                )
            }
            var seconds: [Double] = []
            for word in words[1...8] {
                guard let ticks = UInt64(word) else {
                    throw SystemStatisticsError(path: path, line: lineNumber, problem: "\"\(word)\" is not a number")
                }
                seconds.append(Double(ticks) / clockTicksPerSecond)
            }
            let times = CPUTimes(
                user: seconds[0],
                nice: seconds[1],
                system: seconds[2],
                idle: seconds[3],
                iowait: seconds[4],
                irq: seconds[5],
                softirq: seconds[6],
                steal: seconds[7]
            )
            if let index {
                cores.append(CPU.Core(index: index, times: times))
            } else {
                total = times
            }
        }
        guard let total else {
            throw SystemStatisticsError(path: path, problem: "no \"cpu\" line")
        }
        return CPU(total: total, cores: cores)
    }

    /// Parses `/proc/meminfo`, converting kB to bytes.
    ///
    /// Only the lines ``Memory`` holds are checked; each must read `Name: value kB`. `MemTotal` is required;
    /// the others are `nil` when absent (`MemAvailable` before Linux 3.14). Cost: linear in the text; no I/O.
    ///
    /// - Parameters:
    ///   - meminfo: the file's text.
    ///   - path: the file name used in errors.
    /// - Throws: ``SystemStatisticsError`` for a malformed line or a missing `MemTotal`.
    public static func parseMemory(
        meminfo: String,
        path: String = "/proc/meminfo"
    ) throws(SystemStatisticsError) -> Memory {
        let wanted: Set<Substring> = [
            "MemTotal", "MemAvailable", "MemFree", "Buffers", "Cached", "SwapTotal", "SwapFree",
        ]
        var bytes: [Substring: UInt64] = [:]
        for (offset, line) in meminfo.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard let colon = line.firstIndex(of: ":") else {
                continue
            }
            let name = line[..<colon]
            guard wanted.contains(name) else {
                continue
            }
            let words = line[line.index(after: colon)...].split(separator: " ")
            guard words.count == 2, words[1] == "kB", let kilobytes = UInt64(words[0]) else {
                throw SystemStatisticsError(
                    path: path,
                    line: offset + 1,
                    problem: "expected \"\(name): value kB\""
                )
            }
            let (value, overflow) = kilobytes.multipliedReportingOverflow(by: 1024)
            guard !overflow else {
                throw SystemStatisticsError(
                    path: path,
                    line: offset + 1,
                    problem: "\(name): \(kilobytes) kB is more bytes than 64 bits hold"
                )
            }
            bytes[name] = value
        }
        guard let total = bytes["MemTotal"] else {
            throw SystemStatisticsError(path: path, problem: "no MemTotal line")
        }
        return Memory(
            totalBytes: total,
            availableBytes: bytes["MemAvailable"],
            freeBytes: bytes["MemFree"],
            buffersBytes: bytes["Buffers"],
            cachedBytes: bytes["Cached"],
            swapTotalBytes: bytes["SwapTotal"],
            swapFreeBytes: bytes["SwapFree"]
        )
    }

    /// Parses `/proc/loadavg` (`0.50 0.53 0.25 1/83 5163`): the first three numbers.
    ///
    /// Cost: constant; no I/O.
    ///
    /// - Parameters:
    ///   - loadavg: the file's text.
    ///   - path: the file name used in errors.
    /// - Throws: ``SystemStatisticsError`` when the first line does not start with three numbers.
    public static func parseLoadAverage(
        loadavg: String,
        path: String = "/proc/loadavg"
    ) throws(SystemStatisticsError) -> LoadAverage {
        let words = loadavg.prefix { $0 != "\n" }.split(separator: " ")
        guard words.count >= 3, let one = Double(words[0]), let five = Double(words[1]), let fifteen = Double(words[2])
        else {
            throw SystemStatisticsError(path: path, line: 1, problem: "expected three load averages")
        }
        return LoadAverage(one: one, five: five, fifteen: fifteen)
    }

    private static func readFile(_ path: String) throws(SystemStatisticsError) -> String {
        do {
            return try ProcFile.read(path)
        } catch {
            let problem: String
            switch error {
            case .system(_, let code):
                problem = ProcFile.describe(errno: code)
            case .tooLarge(_, let limit):
                problem = "larger than \(limit) bytes"
            }
            throw SystemStatisticsError(path: path, problem: problem)
        }
    }
}
