import FoundationEssentials
import PerfKit

/// One round of a record read back: when it was collected and what each source answered.
public struct RecordedRound: Sendable, Equatable {
    /// When the round started, in seconds since 1970-01-01 UTC.
    public var time: Double
    /// The raw samples of each source that answered, in the order the record lists the sources.
    public var sources: [(name: String, samples: [Sample])]

    /// Creates a round.
    public init(time: Double, sources: [(name: String, samples: [Sample])]) {
        self.time = time
        self.sources = sources
    }

    public static func == (left: RecordedRound, right: RecordedRound) -> Bool {
        left.time == right.time
            && left.sources.elementsEqual(right.sources) { $0.name == $1.name && $0.samples == $1.samples }
    }
}

/// Reads records that `--record` (or `--export jsonl`) wrote back into rounds, for `perftop replay`.
///
/// Lines with the same `timestamp` are one round (the recorder writes a round's lines together);
/// rounds from several files (a record and its rotated files, in any order) are sorted by time. The
/// derived `perftop_*` series are skipped: replay derives them again, as live. A line that is not a
/// record line (damaged, cut by a crash, from another program) is skipped and counted, and the first
/// one is named (`FILE:LINE: reason`); the rest still replays. A line without `type` comes from a
/// perftop before 2026-12-05: its kind is inferred from its name (`_total`, `_count`, `_sum`,
/// `_bucket` and `_created` are counters, the rest gauges), and ``Contents/inferredKinds`` says so.
///
/// A gzip-compressed file (`--record FILE.gz`, or a record compressed afterwards with `gzip`) is told
/// by its first bytes and read member after member; a member cut short (a crash while writing it) or
/// damaged ends that file's rounds and is named like a damaged line.
///
/// Bounds: each file at most ``maximumFileBytes``, compressed or not, and its text too; lines longer than ``maximumLineBytes``, and
/// samples over the ``SampleLimits`` a live poll checks, count as damaged. The rounds are held in memory: about the record's size again.
public enum RecordReader {
    /// The largest file read: 1 GiB.
    public static let maximumFileBytes = 1 << 30
    /// The longest line read: 1 MiB.
    public static let maximumLineBytes = 1 << 20
    /// The bounds on each sample's name and labels, as a live poll's.
    static let sampleLimits = SampleLimits()

    /// What the files hold.
    public struct Contents: Sendable, Equatable {
        /// The rounds, oldest first.
        public var rounds: [RecordedRound]
        /// Lines that could not be read and were skipped.
        public var damagedLines: Int
        /// The first of them, `FILE:LINE: reason`.
        public var firstDamage: String?
        /// Whether some lines had no `type` (an older perftop's record), so kinds were inferred.
        public var inferredKinds: Bool
    }

    /// Why a record cannot be replayed at all.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        /// `FILE: reason`, e.g. `/tmp/r.jsonl: no such file or directory`.
        public let description: String
    }

    /// Reads `paths` in full.
    ///
    /// Cost: one pass over every line (a JSON decode each); the rounds' samples in memory.
    /// - Throws: ``Failure`` when a file cannot be read, is too large, or holds no round at all.
    public static func read(_ paths: [String]) throws(Failure) -> Contents {
        var contents = Self.nothingRead
        for path in paths {
            let data: Data
            do {
                let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
                guard size <= Self.maximumFileBytes else {
                    throw Failure(
                        description: "\(path): larger than \(Self.maximumFileBytes >> 20) MiB; replay a part of it"
                    )
                }
                data = try Data(contentsOf: URL(fileURLWithPath: path))
            } catch let failure as Failure {
                throw failure
            } catch {
                throw Failure(description: "\(path): \(Self.reason(error))")
            }
            Self.read(file: data, path: path, into: &contents)
        }
        guard !contents.rounds.isEmpty else {
            let reason = contents.firstDamage.map { "no round could be read (\($0))" } ?? "no round in the record"
            throw Failure(description: paths.joined(separator: ", ") + ": " + reason)
        }
        contents.rounds.sort { $0.time < $1.time }
        return contents
    }

    /// Nothing read yet.
    public static var nothingRead: Contents {
        Contents(rounds: [], damagedLines: 0, firstDamage: nil, inferredKinds: false)
    }

    /// Reads one file's bytes, plain or gzip-compressed, appending its rounds; what the fuzzer feeds.
    public static func read(file data: Data, path: String, into contents: inout Contents) {
        guard data.starts(with: Gzip.magic) else {
            Self.read(data, path: path, into: &contents)
            return
        }
        let text = Gzip.decompress(data, limit: Self.maximumFileBytes)
        Self.read(Data(text.bytes), path: path, into: &contents)
        if let damage = text.damage {
            contents.damagedLines += 1
            contents.firstDamage = contents.firstDamage ?? "\(path): \(damage)"
        }
    }

    /// Reads the lines of one file, appending its rounds.
    static func read(_ data: Data, path: String, into contents: inout Contents) {
        let decoder = JSONDecoder()
        var lastTimestamp: (text: String, seconds: Double)?
        var current: RecordedRound?
        var lineNumber = 0
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            guard !line.isEmpty else {
                continue
            }
            let record: RecordLine
            do {
                guard line.count <= Self.maximumLineBytes else {
                    throw Failure(description: "line longer than \(Self.maximumLineBytes >> 20) MiB")
                }
                record = try decoder.decode(RecordLine.self, from: Data(line))
            } catch {
                contents.damagedLines += 1
                if contents.firstDamage == nil {
                    contents.firstDamage = "\(path):\(lineNumber): \(Self.reason(error))"
                }
                continue
            }
            guard !DashboardModel.derivedNames.contains(record.metric) else {
                continue
            }
            let seconds: Double
            if let last = lastTimestamp, last.text == record.timestamp {
                seconds = last.seconds
            } else if let parsed = Self.seconds(record.timestamp) {
                seconds = parsed
                lastTimestamp = (record.timestamp, parsed)
            } else {
                contents.damagedLines += 1
                if contents.firstDamage == nil {
                    contents.firstDamage = "\(path):\(lineNumber): bad timestamp \(SafeText.quoted(record.timestamp))"
                }
                continue
            }
            if record.type == nil {
                contents.inferredKinds = true
            }
            let sample = Sample(name: record.metric, labels: record.labels, kind: record.kind, value: record.value)
            // The bounds a live poll checks: a record is outside input too.
            if let violation = Self.sampleLimits.violation(in: [sample]) {
                contents.damagedLines += 1
                if contents.firstDamage == nil {
                    contents.firstDamage = "\(path):\(lineNumber): \(SafeText.escaped(violation))"
                }
                continue
            }
            if current?.time != seconds {
                if let finished = current {
                    contents.rounds.append(finished)
                }
                current = RecordedRound(time: seconds, sources: [])
            }
            if let index = current!.sources.lastIndex(where: { $0.name == record.source }) {
                current!.sources[index].samples.append(sample)
            } else {
                current!.sources.append((record.source, [sample]))
            }
        }
        if let finished = current {
            contents.rounds.append(finished)
        }
    }

    /// Seconds since 1970 of an export timestamp, e.g. `2026-11-23T15:24:55.123Z`.
    static func seconds(_ timestamp: String) -> Double? {
        let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
        return (try? style.parse(timestamp))?.timeIntervalSince1970
    }

    /// A short reason for an error reading a file or a line.
    private static func reason(_ error: any Error) -> String {
        switch error {
        case let failure as Failure:
            return failure.description
        case DecodingError.keyNotFound(let key, _):
            return "not a record line (no \(SafeText.quoted(key.stringValue)))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
            DecodingError.dataCorrupted(let context):
            let key = context.codingPath.last.map { " at \(SafeText.quoted($0.stringValue))" } ?? ""
            return "not a record line" + key
        case let error as CocoaError where error.code == .fileReadNoSuchFile:
            return "no such file or directory"
        case let error as CocoaError where error.code == .fileReadNoPermission:
            return "permission denied"
        default:
            return SafeText.escaped(String(describing: error), limit: 160)
        }
    }
}

/// One line of a record, as ``JSONLinesExporter`` writes it.
struct RecordLine: Decodable {
    var timestamp: String
    var source: String
    var metric: String
    var type: String?
    var labels: [String: String]
    var value: Double

    enum CodingKeys: String, CodingKey {
        case timestamp, source, metric, type, labels, value
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.timestamp = try container.decode(String.self, forKey: .timestamp)
        self.source = try container.decode(String.self, forKey: .source)
        self.metric = try container.decode(String.self, forKey: .metric)
        self.type = try container.decodeIfPresent(String.self, forKey: .type)
        if let type = self.type, Sample.Kind(rawValue: type) == nil {
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "unknown type")
        }
        self.labels = try container.decode([String: String].self, forKey: .labels)
        if let number = try? container.decode(Double.self, forKey: .value) {
            self.value = number
        } else {
            switch try container.decode(String.self, forKey: .value) {
            case "NaN": self.value = .nan
            case "+Inf": self.value = .infinity
            case "-Inf": self.value = -.infinity
            default:
                throw DecodingError.dataCorruptedError(forKey: .value, in: container, debugDescription: "not a number")
            }
        }
    }

    /// The sample's kind: its `type`, or for an older record one inferred from its name.
    var kind: Sample.Kind {
        if let type, let kind = Sample.Kind(rawValue: type) {
            return kind
        }
        let counterEndings = [
            MetricName.totalSuffix, MetricName.countSuffix, MetricName.sumSuffix, MetricName.bucketSuffix,
            MetricName.createdSuffix,
        ]
        return counterEndings.contains { self.metric.hasSuffix($0) } ? .counter : .gauge
    }
}
