import PerfKit

/// A Prometheus-style series selector: a metric name and label matchers, e.g.
/// `operation_seconds{op="embed",source="agent"}`.
///
/// Matchers are `label="value"` (equal) and `label!="value"` (not equal); a series without the
/// label has the empty value, as in Prometheus. Label values take the escapes `\"`, `\\` and `\n`.
/// Two pseudo-labels name the perftop source a series came from instead of one of its labels:
/// `__source__` always, and `source` when the series has no `source` label of its own.
public struct MetricSelector: Sendable, Hashable, CustomStringConvertible {
    /// One label matcher.
    public struct Matcher: Sendable, Hashable {
        /// The label name.
        public var label: String
        /// The value compared with.
        public var value: String
        /// Whether the label must differ from ``value`` (`!=`) rather than equal it (`=`).
        public var negated: Bool

        /// Creates a matcher.
        public init(label: String, value: String, negated: Bool = false) {
            self.label = label
            self.value = value
            self.negated = negated
        }
    }

    /// The metric name.
    public var name: String
    /// The label matchers, in the order written.
    public var matchers: [Matcher]

    /// Creates a selector.
    public init(name: String, matchers: [Matcher] = []) {
        self.name = name
        self.matchers = matchers
    }

    /// Parses `name{label="value",...}`; whitespace between tokens, empty braces and a trailing comma are allowed.
    ///
    /// - Throws: ``TrackerError`` naming the 1-based column, e.g. `column 12: expected '=' after label 'cache'`.
    public init(parsing text: String) throws {
        var scanner = SelectorScanner(text)
        self = try scanner.selector()
    }

    /// The canonical form: `name{a="1",b!="2"}` in the order written, values escaped, no braces without matchers.
    public var description: String {
        if self.matchers.isEmpty {
            return self.name
        }
        let matchers = self.matchers.map { "\($0.label)\($0.negated ? "!=" : "=")\"\(SeriesID.escape($0.value))\"" }
        return self.name + "{" + matchers.joined(separator: ",") + "}"
    }

    // MARK: - Matching

    /// Whether the series `id` of the perftop source `source` is selected: the same name, and every matcher holds.
    public func matches(_ id: SeriesID, source: String) -> Bool {
        id.name == self.name && self.matchesLabels(of: id, source: source)
    }

    /// Whether the labels of `id`, from the perftop source `source`, satisfy every matcher; the name is not compared.
    public func matchesLabels(of id: SeriesID, source: String) -> Bool {
        self.matchers.allSatisfy { matcher in
            let actual: String
            switch matcher.label {
            case "__source__": actual = source
            case "source": actual = id.label("source") ?? source
            default: actual = id.label(matcher.label) ?? ""
            }
            return (actual == matcher.value) != matcher.negated
        }
    }
}

// MARK: - Parsing

/// A cursor over a selector's Unicode scalars, for ``MetricSelector/init(parsing:)``.
///
/// Scalars, not `Character`s: a combining mark after a quote or an escape's letter would otherwise join it into
/// one `Character` that is neither, so a value ending in one could not be read back from ``MetricSelector/description``.
/// Columns in errors still count `Character`s, as a person counts them.
private struct SelectorScanner {
    private let scalars: [Unicode.Scalar]
    private var index = 0

    init(_ text: String) {
        self.scalars = Array(text.unicodeScalars)
    }

    private var column: Int {
        String(String.UnicodeScalarView(self.scalars[..<self.index])).count + 1
    }

    private var current: Unicode.Scalar? { self.index < self.scalars.count ? self.scalars[self.index] : nil }

    private func error(_ message: String) -> TrackerError {
        TrackerError(message, column: self.column)
    }

    private func describeCurrent() -> String {
        self.current.map { "'\($0)'" } ?? "the end"
    }

    private mutating func skipSpaces() {
        while let scalar = self.current, scalar.properties.isWhitespace {
            self.index += 1
        }
    }

    private mutating func identifier(allowColon: Bool) -> String {
        var name = String.UnicodeScalarView()
        while let scalar = self.current, scalar.isASCII,
            scalar.properties.isAlphabetic || scalar == "_" || (allowColon && scalar == ":")
                || (!name.isEmpty && ("0"..."9").contains(scalar))
        {
            name.append(scalar)
            self.index += 1
        }
        return String(name)
    }

    mutating func selector() throws -> MetricSelector {
        self.skipSpaces()
        let name = self.identifier(allowColon: true)
        guard !name.isEmpty else {
            throw self.error("expected a metric name, found \(self.describeCurrent())")
        }
        var selector = MetricSelector(name: name)
        self.skipSpaces()
        if self.current == "{" {
            self.index += 1
            selector.matchers = try self.matchers()
            self.skipSpaces()
        }
        guard self.current == nil else {
            throw self.error("expected '{' or the end after the metric name, found \(self.describeCurrent())")
        }
        return selector
    }

    private mutating func matchers() throws -> [MetricSelector.Matcher] {
        var matchers: [MetricSelector.Matcher] = []
        while true {
            self.skipSpaces()
            if self.current == "}" {
                self.index += 1
                return matchers
            }
            let label = self.identifier(allowColon: false)
            guard !label.isEmpty else {
                throw self.error("expected a label name or '}', found \(self.describeCurrent())")
            }
            self.skipSpaces()
            var negated = false
            if self.current == "!" {
                negated = true
                self.index += 1
            }
            guard self.current == "=" else {
                throw self.error("expected '=' or '!=' after label '\(label)', found \(self.describeCurrent())")
            }
            self.index += 1
            if self.current == "~" {
                throw self.error("regular-expression matchers (=~, !~) are not supported")
            }
            self.skipSpaces()
            let value = try self.quoted()
            matchers.append(MetricSelector.Matcher(label: label, value: value, negated: negated))
            self.skipSpaces()
            switch self.current {
            case ",": self.index += 1
            case "}": continue
            default:
                throw self.error("expected ',' or '}' after the value of '\(label)', found \(self.describeCurrent())")
            }
        }
    }

    private mutating func quoted() throws -> String {
        guard self.current == "\"" else {
            throw self.error("expected a quoted value, found \(self.describeCurrent())")
        }
        self.index += 1
        var value = String.UnicodeScalarView()
        while let scalar = self.current {
            self.index += 1
            switch scalar {
            case "\"":
                return String(value)
            case "\\":
                switch self.current {
                case "\"": value.append("\"")
                case "\\": value.append("\\")
                case "n": value.append("\n")
                default:
                    throw self.error("unknown escape \\\(self.current.map(String.init) ?? "") (use \\\", \\\\ or \\n)")
                }
                self.index += 1
            default:
                value.append(scalar)
            }
        }
        throw self.error("unterminated quoted value")
    }
}
