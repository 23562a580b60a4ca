#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What the kernel reports about one process: memory, page faults, CPU time, threads, context switches
/// and open file descriptors, read from `/proc/PID/stat`, `/proc/PID/status` and `/proc/PID/fd`.
///
/// Use ``read(pid:procRoot:)`` for a live process and ``parse(stat:status:)`` for text you already have.
/// Counters (faults, CPU seconds, context switches) are cumulative since the process started.
public struct ProcessStatistics: Sendable, Hashable {
    /// The process ID.
    public var pid: Int32
    /// The command name as the kernel keeps it (at most 15 bytes); may contain spaces and parentheses.
    public var command: String
    /// The one-letter state, e.g. `R` (running), `S` (sleeping), `Z` (zombie).
    public var state: Character
    /// The resident set size in bytes.
    public var residentBytes: UInt64
    /// The virtual memory size in bytes.
    public var virtualBytes: UInt64
    /// Page faults served without I/O.
    public var minorFaults: UInt64
    /// Page faults that needed I/O.
    public var majorFaults: UInt64
    /// The number of threads.
    public var threads: Int
    /// CPU time spent in user mode, in seconds.
    public var userCPUSeconds: Double
    /// CPU time spent in kernel mode, in seconds.
    public var systemCPUSeconds: Double
    /// Context switches because the process waited (I/O, locks, sleep).
    public var voluntaryContextSwitches: UInt64
    /// Context switches because the scheduler preempted the process.
    public var involuntaryContextSwitches: UInt64
    /// The number of open file descriptors, or `nil` when `/proc/PID/fd` cannot be read
    /// (another user's process, or statistics parsed from text).
    public var openFileDescriptors: Int?

    /// Creates statistics from known values.
    public init(
        pid: Int32,
        command: String,
        state: Character,
        residentBytes: UInt64,
        virtualBytes: UInt64,
        minorFaults: UInt64,
        majorFaults: UInt64,
        threads: Int,
        userCPUSeconds: Double,
        systemCPUSeconds: Double,
        voluntaryContextSwitches: UInt64,
        involuntaryContextSwitches: UInt64,
        openFileDescriptors: Int? = nil
    ) {
        self.pid = pid
        self.command = command
        self.state = state
        self.residentBytes = residentBytes
        self.virtualBytes = virtualBytes
        self.minorFaults = minorFaults
        self.majorFaults = majorFaults
        self.threads = threads
        self.userCPUSeconds = userCPUSeconds
        self.systemCPUSeconds = systemCPUSeconds
        self.voluntaryContextSwitches = voluntaryContextSwitches
        self.involuntaryContextSwitches = involuntaryContextSwitches
        self.openFileDescriptors = openFileDescriptors
    }

    /// User plus system CPU time, in seconds.
    public var cpuSeconds: Double {
        self.userCPUSeconds + self.systemCPUSeconds
    }
}

// MARK: - Errors

/// Why ``ProcessStatistics`` could not be read; its ``description`` is one line naming the file and the problem.
public struct ProcessStatisticsError: Error, Hashable, CustomStringConvertible {
    /// What went wrong, with its details; private, so that a new kind of failure is not a breaking
    /// change (the swift-server convention).
    private enum Code: Sendable, Hashable {
        case noSuchProcess(pid: Int32)
        case unreadable(path: String, reason: String)
        case malformed(path: String, problem: String)
    }

    /// The kind of failure, to match on without the details: `error.kind == .noSuchProcess`.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private let name: String

        /// See ``ProcessStatisticsError/noSuchProcess(pid:)``.
        public static let noSuchProcess = Kind(name: "noSuchProcess")
        /// See ``ProcessStatisticsError/unreadable(path:reason:)``.
        public static let unreadable = Kind(name: "unreadable")
        /// See ``ProcessStatisticsError/malformed(path:problem:)``.
        public static let malformed = Kind(name: "malformed")

        public var description: String {
            self.name
        }
    }

    private let code: Code

    private init(_ code: Code) {
        self.code = code
    }

    /// The process does not exist (any more): `no process 123`.
    public static func noSuchProcess(pid: Int32) -> Self {
        Self(.noSuchProcess(pid: pid))
    }

    /// A file could not be read: `/proc/123/status: permission denied`.
    public static func unreadable(path: String, reason: String) -> Self {
        Self(.unreadable(path: path, reason: reason))
    }

    /// A file does not have the expected shape: `/proc/123/stat: field 14 is not a number`.
    public static func malformed(path: String, problem: String) -> Self {
        Self(.malformed(path: path, problem: problem))
    }

    /// The kind of failure.
    public var kind: Kind {
        switch self.code {
        case .noSuchProcess: .noSuchProcess
        case .unreadable: .unreadable
        case .malformed: .malformed
        }
    }

    public var description: String {
        switch self.code {
        case .noSuchProcess(let pid):
            return "no process \(pid)"
        case .unreadable(let path, let reason):
            return "\(path): \(reason)"
        case .malformed(let path, let problem):
            return "\(path): \(problem)"
        }
    }
}

// MARK: - Reading

extension ProcessStatistics {
    /// The kernel's clock ticks per second (`USER_HZ`, from `sysconf(_SC_CLK_TCK)`), the unit of CPU times in `/proc`.
    public static let clockTicksPerSecond: Double = {
        let ticks = sysconf(Int32(_SC_CLK_TCK))
        return ticks > 0 ? Double(ticks) : 100
    }()

    /// The memory page size in bytes (from `sysconf(_SC_PAGESIZE)`).
    public static let pageSize: UInt64 = {
        let size = sysconf(Int32(_SC_PAGESIZE))
        return size > 0 ? UInt64(size) : 4096
    }()

    /// The CPU time, user and system, the calling process has used since it started, in seconds; nil
    /// when the clock cannot be read.
    ///
    /// Cost: one `clock_gettime(CLOCK_PROCESS_CPUTIME_ID)` call, with nanosecond resolution; no file is
    /// read, unlike ``read(pid:procRoot:)`` (whose ``cpuSeconds`` counts clock ticks).
    package static func callingProcessCPUSeconds() -> Double? {
        var time = timespec()
        guard clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time) == 0 else {
            return nil
        }
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Reads the statistics of a live process.
    ///
    /// Cost: reads two small files (each capped at 1 MiB) and lists `/proc/PID/fd`, which is linear in the
    /// number of open descriptors; tens of microseconds for a typical process. Blocking: call it off the
    /// Swift concurrency cooperative pool when latency matters.
    ///
    /// - Parameters:
    ///   - pid: the process to read, or `nil` for the calling process (`/proc/self`).
    ///   - procRoot: where procfs is mounted; tests pass a directory of fixture files.
    /// - Throws: ``ProcessStatisticsError``; ``ProcessStatisticsError/noSuchProcess(pid:)`` when the
    ///   process does not exist or exits while being read.
    public static func read(
        pid: Int32? = nil,
        procRoot: String = "/proc"
    ) throws(ProcessStatisticsError) -> ProcessStatistics {
        let directory = procRoot + "/" + (pid.map { String($0) } ?? "self")
        let statPath = directory + "/stat"
        let statusPath = directory + "/status"
        let stat = try self.readFile(statPath, pid: pid)
        let status = try self.readFile(statusPath, pid: pid)
        var statistics = try self.parse(
            stat: stat,
            status: status,
            statPath: statPath,
            statusPath: statusPath,
            clockTicksPerSecond: self.clockTicksPerSecond,
            pageSize: self.pageSize
        )
        statistics.openFileDescriptors = self.countOpenFileDescriptors(
            directory: directory + "/fd",
            isCallingProcess: pid == nil
        )
        return statistics
    }

    /// Parses the text of `/proc/PID/stat` and `/proc/PID/status`.
    ///
    /// The command name is taken from between the first `(` and the last `)` of `stat`, so names with
    /// spaces and parentheses parse correctly. The resident size comes from `VmRSS` in `status`, or from
    /// the page count in `stat` when `VmRSS` is absent (kernel threads). ``openFileDescriptors`` is `nil`.
    /// Cost: linear in the length of the text; no I/O.
    ///
    /// - Throws: ``ProcessStatisticsError/malformed(path:problem:)`` naming `stat` or `status`.
    public static func parse(stat: String, status: String) throws(ProcessStatisticsError) -> ProcessStatistics {
        try self.parse(
            stat: stat,
            status: status,
            statPath: "stat",
            statusPath: "status",
            clockTicksPerSecond: self.clockTicksPerSecond,
            pageSize: self.pageSize
        )
    }

    // MARK: Internals

    /// The highest `stat` field (1-based, as in proc(5)) that parsing needs: `rss`.
    private static let lastNeededStatField = 24

    static func parse(
        stat: String,
        status: String,
        statPath: String,
        statusPath: String,
        clockTicksPerSecond: Double,
        pageSize: UInt64
    ) throws(ProcessStatisticsError) -> ProcessStatistics {
        let line = stat.prefix { $0 != "\n" }
        guard let open = line.firstIndex(of: "("), let close = line.lastIndex(of: ")"), open < close else {
            throw .malformed(path: statPath, problem: "no command name in parentheses")
        }
        let command = String(line[line.index(after: open)..<close])
        guard let pid = Int32(line[..<open].trimming { $0 == " " }) else {
            throw .malformed(path: statPath, problem: "field 1 is not a number")
        }
        // Fields 3 and up, so field n (1-based, as proc(5) numbers them) is rest[n - 3].
        let rest = line[line.index(after: close)...].split(separator: " ")
        guard rest.count >= self.lastNeededStatField - 2 else {
            throw .malformed(
                path: statPath,
                problem: "\(rest.count + 2) fields, expected at least \(self.lastNeededStatField)"
            )
        }
        func field(_ number: Int) throws(ProcessStatisticsError) -> UInt64 {
            guard let value = UInt64(rest[number - 3]) else {
                throw .malformed(path: statPath, problem: "field \(number) is not a number")
            }
            return value
        }
        guard rest[0].count == 1, let state = rest[0].first else {
            throw .malformed(path: statPath, problem: "field 3 is not a state letter")
        }
        let minorFaults = try field(10)
        let majorFaults = try field(12)
        let userTicks = try field(14)
        let systemTicks = try field(15)
        let threads = try field(20)
        let virtualBytes = try field(23)
        let residentPages = try field(24)

        let fields = try self.statusFields(
            status,
            path: statusPath,
            wanted: ["VmRSS", "voluntary_ctxt_switches", "nonvoluntary_ctxt_switches"]
        )
        guard let voluntary = fields["voluntary_ctxt_switches"] else {
            throw .malformed(path: statusPath, problem: "no voluntary_ctxt_switches line")
        }
        guard let involuntary = fields["nonvoluntary_ctxt_switches"] else {
            throw .malformed(path: statusPath, problem: "no nonvoluntary_ctxt_switches line")
        }
        let residentBytes: UInt64
        if let kilobytes = fields["VmRSS"] {
            let (bytes, overflow) = kilobytes.multipliedReportingOverflow(by: 1024)
            guard !overflow else {
                throw .malformed(path: statusPath, problem: "VmRSS of \(kilobytes) kB is more bytes than 64 bits hold")
            }
            residentBytes = bytes
        } else {
            let (bytes, overflow) = residentPages.multipliedReportingOverflow(by: pageSize)
            guard !overflow else {
                throw .malformed(
                    path: statPath,
                    problem: "field 24 of \(residentPages) pages is more bytes than 64 bits hold"
                )
            }
            residentBytes = bytes
        }

        return ProcessStatistics(
            pid: pid,
            command: command,
            state: state,
            residentBytes: residentBytes,
            virtualBytes: virtualBytes,
            minorFaults: minorFaults,
            majorFaults: majorFaults,
            threads: Int(clamping: threads),
            userCPUSeconds: Double(userTicks) / clockTicksPerSecond,
            systemCPUSeconds: Double(systemTicks) / clockTicksPerSecond,
            voluntaryContextSwitches: voluntary,
            involuntaryContextSwitches: involuntary
        )
    }

    /// The values of the `wanted` lines of a `status` file (`Name:<tab>value[ kB]`), in the file's unit.
    private static func statusFields(
        _ status: String,
        path: String,
        wanted: Set<String>
    ) throws(ProcessStatisticsError) -> [String: UInt64] {
        var values: [String: UInt64] = [:]
        for (offset, line) in status.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard let colon = line.firstIndex(of: ":") else {
                continue
            }
            let name = String(line[..<colon])
            guard wanted.contains(name) else {
                continue
            }
            var words = line[line.index(after: colon)...].split(whereSeparator: { $0 == " " || $0 == "\t" })
            if words.count == 2, words[1] == "kB" {
                words.removeLast()
            }
            guard words.count == 1, let value = UInt64(words[0]) else {
                throw .malformed(path: "\(path):\(offset + 1)", problem: "expected \"\(name): number\"")
            }
            values[name] = value
        }
        return values
    }

    private static func readFile(_ path: String, pid: Int32?) throws(ProcessStatisticsError) -> String {
        do {
            return try ProcFile.read(path)
        } catch {
            switch error {
            case .system(_, let code) where code == ENOENT || code == ESRCH:
                throw .noSuchProcess(pid: pid ?? getpid())
            case .system(_, let code):
                throw .unreadable(path: path, reason: ProcFile.describe(errno: code))
            case .tooLarge(_, let limit):
                throw .unreadable(path: path, reason: "larger than \(limit) bytes")
            }
        }
    }

    /// Counts the entries of `/proc/PID/fd`, or returns `nil` when the directory cannot be listed.
    ///
    /// When listing the calling process's own directory, the descriptor of the directory stream itself
    /// appears in the listing; it is not counted.
    private static func countOpenFileDescriptors(directory: String, isCallingProcess: Bool) -> Int? {
        guard let stream = opendir(directory) else {
            return nil
        }
        defer { closedir(stream) }
        let ownName = isCallingProcess ? String(dirfd(stream)) : nil
        var count = 0
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." && name != ownName {
                count += 1
            }
        }
        return count
    }
}
