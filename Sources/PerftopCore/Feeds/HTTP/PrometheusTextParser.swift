import PerfKit

/// Reads the Prometheus text exposition format (0.0.4) and OpenMetrics text (1.0) into ``Sample``s.
///
/// One parser serves both formats, as a lenient superset:
/// - `# TYPE` sets the kind of a family: `counter`, `gauge`, `histogram`, `summary`, `untyped`, and
///   OpenMetrics' `unknown` (read as untyped), `gaugehistogram`, `info` and `stateset` (read as gauges,
///   because their values go up and down). `# HELP` and other comments are skipped.
/// - A sample belongs to a family by its exact name or by the family name plus `_total`, `_bucket`,
///   `_sum`, `_count`, `_created`, `_gsum`, `_gcount` or `_info`. A name of no declared family is untyped.
///   Histogram buckets keep their `le` label and summary quantiles their `quantile` label.
/// - OpenMetrics `_created` samples of counters, histograms and summaries are dropped: they hold a
///   creation time, not a measurement.
/// - Label values may contain the escapes `\\`, `\"` and `\n`; a trailing comma in the label set is
///   accepted. Values are decimal or `NaN`, `+Inf`, `-Inf` (any case). A timestamp after the value is
///   checked and dropped: perftop stamps samples with the time of the poll. An OpenMetrics exemplar
///   (`# {…} value`) after the value is skipped.
/// - `# EOF` ends the input; anything but blank lines after it is an error.
///
/// Bounds: ``Budget``. A line longer than ``Budget/maximumLineLength`` bytes or a sample beyond
/// ``Budget/maximumSamples`` fails the whole parse with a ``PrometheusParseError`` that says so; the
/// parser never returns a silently truncated scrape.
///
/// Cost: one pass over the bytes, linear in their number; each sample allocates its name, label
/// strings and dictionary. Thread-safe: the parser is a value with no shared state.
public struct PrometheusTextParser: Sendable {
    /// The most a single parse may produce or read in one line.
    public struct Budget: Sendable, Hashable {
        /// The most samples one input may hold; one more fails the parse.
        public var maximumSamples: Int
        /// The longest line accepted, in bytes without its line break.
        public var maximumLineLength: Int

        /// Creates a budget.
        ///
        /// - Parameters:
        ///   - maximumSamples: at least 1; 200,000 by default (a large node_exporter has a few thousand).
        ///   - maximumLineLength: at least 1; 64 KiB by default.
        public init(maximumSamples: Int = 200_000, maximumLineLength: Int = 65_536) {
            precondition(maximumSamples >= 1 && maximumLineLength >= 1, "A budget must allow something")
            self.maximumSamples = maximumSamples
            self.maximumLineLength = maximumLineLength
        }
    }

    /// The bounds every parse respects.
    public var budget: Budget

    /// Creates a parser with the given budget.
    public init(budget: Budget = Budget()) {
        self.budget = budget
    }

    /// Parses UTF-8 text, given as bytes.
    ///
    /// - Returns: the samples in input order.
    /// - Throws: ``PrometheusParseError`` naming the first bad line.
    public func parse(_ bytes: [UInt8]) throws(PrometheusParseError) -> [Sample] {
        try bytes.withUnsafeBufferPointer { (buffer) throws(PrometheusParseError) -> [Sample] in
            var state = ParserState(bytes: buffer, budget: self.budget)
            return try state.run()
        }
    }

    /// Parses text.
    ///
    /// - Returns: the samples in input order.
    /// - Throws: ``PrometheusParseError`` naming the first bad line.
    public func parse(_ text: String) throws(PrometheusParseError) -> [Sample] {
        try self.parse(Array(text.utf8))
    }
}

/// Why Prometheus or OpenMetrics text could not be read: the 1-based line and what was wrong there.
///
/// Its description reads `line 12: expected '=' after label name`.
public struct PrometheusParseError: Error, Hashable, CustomStringConvertible {
    /// The line, counted from 1.
    public var line: Int
    /// What was wrong, lower case, without a trailing period.
    public var reason: String

    /// Creates an error for `line`.
    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    public var description: String {
        "line \(self.line): \(self.reason)"
    }
}

// MARK: - Families

/// A metric family's declared type.
private enum FamilyType {
    case counter, gauge, histogram, gaugeHistogram, summary, untyped, info, stateSet

    init?(_ word: String) {
        switch word {
        case "counter": self = .counter
        case "gauge": self = .gauge
        case "histogram": self = .histogram
        case "gaugehistogram": self = .gaugeHistogram
        case "summary": self = .summary
        case "untyped", "unknown": self = .untyped
        case "info": self = .info
        case "stateset": self = .stateSet
        default: return nil
        }
    }

    /// The kind of a sample of this family whose name carries `suffix` (empty for the family name),
    /// or `nil` when such samples are dropped.
    func kind(suffix: String) -> Sample.Kind? {
        switch self {
        case .counter: suffix == MetricName.createdSuffix ? nil : .counter
        case .histogram: suffix == MetricName.createdSuffix ? nil : .histogram
        case .summary: suffix == MetricName.createdSuffix ? nil : .summary
        case .gauge, .gaugeHistogram, .info, .stateSet: .gauge
        case .untyped: .untyped
        }
    }
}

// MARK: - Parsing

/// The state of one parse: the input, the position, the families seen so far and the output.
private struct ParserState {
    private static let suffixes = [
        MetricName.totalSuffix, MetricName.bucketSuffix, MetricName.sumSuffix, MetricName.countSuffix,
        MetricName.createdSuffix, "_gsum", "_gcount",
        "_info",
    ]

    let bytes: UnsafeBufferPointer<UInt8>
    let budget: PrometheusTextParser.Budget
    var samples: [Sample] = []
    var families: [String: FamilyType] = [:]
    /// The kind of each sample name met so far (`nil`: dropped), so suffixes are stripped once per name.
    var kinds: [String: Sample.Kind?] = [:]
    var lineNumber = 0
    /// The current line's bounds: `position` moves from its start to `lineEnd`.
    var position = 0
    var lineEnd = 0

    init(bytes: UnsafeBufferPointer<UInt8>, budget: PrometheusTextParser.Budget) {
        self.bytes = bytes
        self.budget = budget
    }

    mutating func run() throws(PrometheusParseError) -> [Sample] {
        var start = 0
        var sawEOF = false
        while start < self.bytes.count {
            self.lineNumber += 1
            var end = start
            while end < self.bytes.count, self.bytes[end] != .newline {
                end += 1
            }
            let next = end + 1
            if end > start, self.bytes[end - 1] == .carriageReturn {
                end -= 1
            }
            guard end - start <= self.budget.maximumLineLength else {
                throw self.error("longer than \(self.budget.maximumLineLength) bytes (parse budget)")
            }
            self.position = start
            self.lineEnd = end
            self.skipBlanks()
            if self.position < self.lineEnd {
                guard !sawEOF else {
                    throw self.error("text after # EOF")
                }
                if self.bytes[self.position] == .hash {
                    sawEOF = try self.comment()
                } else {
                    try self.sampleLine()
                }
            }
            start = next
        }
        return self.samples
    }

    // MARK: Comments

    /// Reads a comment line; returns true for `# EOF`.
    private mutating func comment() throws(PrometheusParseError) -> Bool {
        self.position += 1
        self.skipBlanks()
        let keyword = self.word()
        switch keyword {
        case "EOF":
            self.skipBlanks()
            return self.position == self.lineEnd
        case "TYPE":
            self.skipBlanks()
            let name = self.metricName()
            guard !name.isEmpty else {
                throw self.error("expected a metric name after # TYPE")
            }
            self.skipBlanks()
            let typeWord = self.word()
            guard let type = FamilyType(typeWord) else {
                throw self.error(
                    typeWord.isEmpty
                        ? "expected a type after # TYPE \(SafeText.quoted(name))"
                        : "unknown metric type \(SafeText.quoted(typeWord))"
                )
            }
            self.families[name] = type
            self.kinds = [:]
            return false
        default:
            return false
        }
    }

    // MARK: Samples

    private mutating func sampleLine() throws(PrometheusParseError) {
        let name = self.metricName()
        guard !name.isEmpty else {
            throw self.error("expected a metric name")
        }
        self.skipBlanks()
        var labels: [String: String] = [:]
        if self.position < self.lineEnd, self.bytes[self.position] == .openBrace {
            self.position += 1
            labels = try self.labelSet()
            self.skipBlanks()
        }
        let valueText = self.word()
        guard !valueText.isEmpty else {
            throw self.error("expected a value after \(SafeText.quoted(name))")
        }
        guard let value = Double(valueText) else {
            throw self.error("invalid value \(SafeText.quoted(valueText))")
        }
        self.skipBlanks()
        if self.position < self.lineEnd, self.bytes[self.position] != .hash {
            let timestamp = self.word()
            guard Double(timestamp)?.isFinite == true else {
                throw self.error("invalid timestamp \(SafeText.quoted(timestamp))")
            }
            self.skipBlanks()
            guard self.position == self.lineEnd || self.bytes[self.position] == .hash else {
                throw self.error("unexpected text after the timestamp")
            }
        }
        guard let kind = self.kind(of: name) else {
            return
        }
        guard self.samples.count < self.budget.maximumSamples else {
            throw self.error("more than \(self.budget.maximumSamples) samples (parse budget)")
        }
        self.samples.append(Sample(name: name, labels: labels, kind: kind, value: value))
    }

    /// The kind of a sample called `name`, or `nil` when such samples are dropped.
    private mutating func kind(of name: String) -> Sample.Kind? {
        if let known = self.kinds[name] {
            return known
        }
        var kind: Sample.Kind? = .untyped
        if let type = self.families[name] {
            kind = type.kind(suffix: "")
        } else if let suffix = Self.suffixes.first(where: { name.hasSuffix($0) }),
            let type = self.families[String(name.dropLast(suffix.count))]
        {
            kind = type.kind(suffix: suffix)
        }
        self.kinds[name] = kind
        return kind
    }

    /// Reads labels after the opening brace, through the closing one.
    private mutating func labelSet() throws(PrometheusParseError) -> [String: String] {
        var labels: [String: String] = [:]
        while true {
            self.skipBlanks()
            guard self.position < self.lineEnd else {
                throw self.error("expected '}' to close the label set")
            }
            if self.bytes[self.position] == .closeBrace {
                self.position += 1
                return labels
            }
            let name = self.token(first: \.isLabelNameStart, rest: \.isLabelNameContinuation)
            guard !name.isEmpty else {
                throw self.error("expected a label name")
            }
            self.skipBlanks()
            guard self.consume(.equals) else {
                throw self.error("expected '=' after label name")
            }
            self.skipBlanks()
            guard self.consume(.quote) else {
                throw self.error("expected '\"' to open the value of label \(SafeText.quoted(name))")
            }
            let value = try self.labelValue(of: name)
            guard labels.updateValue(value, forKey: name) == nil else {
                throw self.error("duplicate label \(SafeText.quoted(name))")
            }
            self.skipBlanks()
            if self.consume(.comma) {
                continue
            }
            guard self.position < self.lineEnd else {
                throw self.error("expected '}' to close the label set")
            }
            guard self.bytes[self.position] == .closeBrace else {
                throw self.error("expected ',' or '}' after the value of label \(SafeText.quoted(name))")
            }
        }
    }

    /// Reads a label value after its opening quote, through the closing quote, resolving escapes.
    private mutating func labelValue(of name: String) throws(PrometheusParseError) -> String {
        let start = self.position
        var unescaped: [UInt8]?
        while self.position < self.lineEnd {
            let byte = self.bytes[self.position]
            if byte == .quote {
                let value =
                    unescaped.map { String(decoding: $0, as: UTF8.self) }
                    ?? String(decoding: UnsafeBufferPointer(rebasing: self.bytes[start..<self.position]), as: UTF8.self)
                self.position += 1
                return value
            }
            if byte == .backslash {
                if unescaped == nil {
                    unescaped = Array(self.bytes[start..<self.position])
                }
                self.position += 1
                guard self.position < self.lineEnd else {
                    break
                }
                switch self.bytes[self.position] {
                case .backslash: unescaped?.append(.backslash)
                case .quote: unescaped?.append(.quote)
                case UInt8(ascii: "n"): unescaped?.append(.newline)
                default:
                    let escaped = String(decoding: CollectionOfOne(self.bytes[self.position]), as: UTF8.self)
                    throw self.error(
                        "invalid escape \(SafeText.quoted("\\" + escaped)) in the value of label \(SafeText.quoted(name))"
                    )
                }
            } else {
                unescaped?.append(byte)
            }
            self.position += 1
        }
        throw self.error("unterminated value of label \(SafeText.quoted(name))")
    }

    // MARK: Tokens

    private mutating func metricName() -> String {
        self.token(first: \.isMetricNameStart, rest: \.isMetricNameContinuation)
    }

    /// Reads the longest run of bytes that match `first` then `rest`; empty when the first does not match.
    private mutating func token(first: (UInt8) -> Bool, rest: (UInt8) -> Bool) -> String {
        let start = self.position
        guard self.position < self.lineEnd, first(self.bytes[self.position]) else {
            return ""
        }
        self.position += 1
        while self.position < self.lineEnd, rest(self.bytes[self.position]) {
            self.position += 1
        }
        return String(decoding: UnsafeBufferPointer(rebasing: self.bytes[start..<self.position]), as: UTF8.self)
    }

    /// Reads up to the next blank or the end of the line.
    private mutating func word() -> String {
        let start = self.position
        while self.position < self.lineEnd, !self.bytes[self.position].isBlank {
            self.position += 1
        }
        return String(decoding: UnsafeBufferPointer(rebasing: self.bytes[start..<self.position]), as: UTF8.self)
    }

    private mutating func skipBlanks() {
        while self.position < self.lineEnd, self.bytes[self.position].isBlank {
            self.position += 1
        }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard self.position < self.lineEnd, self.bytes[self.position] == byte else {
            return false
        }
        self.position += 1
        return true
    }

    private func error(_ reason: String) -> PrometheusParseError {
        PrometheusParseError(line: self.lineNumber, reason: reason)
    }
}

// MARK: - Bytes

extension UInt8 {
    fileprivate static let newline = UInt8(ascii: "\n")
    fileprivate static let carriageReturn = UInt8(ascii: "\r")
    fileprivate static let hash = UInt8(ascii: "#")
    fileprivate static let openBrace = UInt8(ascii: "{")
    fileprivate static let closeBrace = UInt8(ascii: "}")
    fileprivate static let equals = UInt8(ascii: "=")
    fileprivate static let quote = UInt8(ascii: "\"")
    fileprivate static let comma = UInt8(ascii: ",")
    fileprivate static let backslash = UInt8(ascii: "\\")

    fileprivate var isBlank: Bool {
        self == UInt8(ascii: " ") || self == UInt8(ascii: "\t")
    }

    fileprivate var isLabelNameStart: Bool {
        (self >= UInt8(ascii: "a") && self <= UInt8(ascii: "z"))
            || (self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z"))
            || self == UInt8(ascii: "_")
    }

    fileprivate var isLabelNameContinuation: Bool {
        self.isLabelNameStart || (self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9"))
    }

    fileprivate var isMetricNameStart: Bool {
        self.isLabelNameStart || self == UInt8(ascii: ":")
    }

    fileprivate var isMetricNameContinuation: Bool {
        self.isLabelNameContinuation || self == UInt8(ascii: ":")
    }
}
