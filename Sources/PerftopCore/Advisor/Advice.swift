/// One piece of advice: a bottleneck the ``Advisor`` found in the live samples, the action it
/// suggests, and the measured numbers it was derived from.
///
/// A plain value; ``line`` renders it in one line for the dashboard, `tracker check` and logs.
public struct Advice: Sendable, Equatable {
    /// The rule that produced it.
    public var rule: AdvisorRule
    /// How urgent it is; the rule's ``AdvisorRule/severity``.
    public var severity: AdviceSeverity
    /// What it is about: a cache, a processor or a process of one source.
    public var subject: AdviceSubject
    /// What was found, e.g. `evicts by size under its hit-rate target`.
    public var finding: String
    /// What to do about it, e.g. `raise capacity`.
    public var action: String
    /// The numbers the finding was derived from, in the order the message cites them.
    public var evidence: [AdviceEvidence]

    /// Creates a piece of advice.
    public init(
        rule: AdvisorRule,
        severity: AdviceSeverity,
        subject: AdviceSubject,
        finding: String,
        action: String,
        evidence: [AdviceEvidence]
    ) {
        self.rule = rule
        self.severity = severity
        self.subject = subject
        self.finding = finding
        self.action = action
        self.evidence = evidence
    }

    /// The finding, the action and every cited number in one line, e.g.
    /// `evicts by size under its hit-rate target: raise capacity (hit rate 42.0%, target 70.0%, …)`.
    public var message: String {
        let numbers = self.evidence.map(\.text).joined(separator: ", ")
        return self.finding + ": " + self.action + (numbers.isEmpty ? "" : " (" + numbers + ")")
    }

    /// The severity, the rule, the subject and the ``message``, e.g.
    /// `warning cache-capacity cache users of demo: evicts by size under its hit-rate target: raise capacity (…)`.
    public var line: String {
        "\(self.severity) \(self.rule.rawValue) \(self.subject): \(self.message)"
    }

    /// The first cited number with this label, e.g. `hit rate`; nil when the advice does not cite it.
    public func value(_ label: String) -> Double? {
        self.evidence.first { $0.label == label }?.value
    }
}

// MARK: - Severity

/// How urgent a piece of advice is, from ``info`` to ``critical``; ordered by urgency.
public enum AdviceSeverity: Int, Sendable, Equatable, Comparable, CaseIterable, CustomStringConvertible {
    /// Worth a look: a likely gain, nothing is failing.
    case info
    /// A measured inefficiency or a growing problem.
    case warning
    /// Work is failing or waiting without bound.
    case critical

    /// `info`, `warning` or `critical`.
    public var description: String {
        switch self {
        case .info: "info"
        case .warning: "warning"
        case .critical: "critical"
        }
    }

    /// Orders by urgency: ``info`` < ``warning`` < ``critical``.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}

// MARK: - Subject

/// What a piece of advice is about: a cache or a processor by name, or a whole process, of one source.
public struct AdviceSubject: Sendable, Equatable, Comparable, CustomStringConvertible {
    /// The kind of thing advised about.
    public enum Kind: Int, Sendable, Equatable, Comparable {
        /// A cache, by its `cache` label.
        case cache
        /// A processor, by its `processor` label.
        case processor
        /// The process behind a source (memory, allocation churn).
        case process
        /// A database table, by its `table` label.
        case table
        /// A database statement, by its normalised text.
        case statement

        /// Orders caches before processors before processes.
        public static func < (lhs: Self, rhs: Self) -> Bool {
            lhs.rawValue < rhs.rawValue
        }
    }

    /// The source, as the header bar names it.
    public var source: String
    /// The kind of thing.
    public var kind: Kind
    /// The cache's or processor's name; nil for a process.
    public var name: String?

    /// Creates a subject.
    public init(source: String, kind: Kind, name: String? = nil) {
        self.source = source
        self.kind = kind
        self.name = name
    }

    /// `cache users of demo`, `processor jobs of demo` or `process demo`.
    public var description: String {
        self.description(naming: self.source)
    }

    /// ``description`` with the source called `label`, e.g. by its ``DashboardModel/label(of:)``.
    public func description(naming label: String) -> String {
        switch self.kind {
        case .cache: "cache \(self.name ?? "?") of \(label)"
        case .processor: "processor \(self.name ?? "?") of \(label)"
        case .process: "process \(label)"
        case .table: "table \(self.name ?? "?") of \(label)"
        case .statement: "statement \(self.name ?? "?") of \(label)"
        }
    }

    /// Orders by source, then kind, then name.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.source, lhs.kind, lhs.name ?? "") < (rhs.source, rhs.kind, rhs.name ?? "")
    }
}

// MARK: - Evidence

/// One number a piece of advice cites: what it is, its value and its unit.
public struct AdviceEvidence: Sendable, Equatable {
    /// The unit of a cited value, which decides how it is written.
    public enum Unit: Sendable, Equatable {
        /// A fraction from 0 to 1, written as a percentage: `42.0%`.
        case fraction
        /// Events per second: `35.0/s`, `1.20k/s`.
        case perSecond
        /// Bytes, in binary units: `512MiB`.
        case bytes
        /// Bytes per second, in binary units: `1.20GiB/s`.
        case bytesPerSecond
        /// Bytes per minute, in binary units: `2.00MiB/min`; the unit of memory growth.
        case bytesPerMinute
        /// A duration in seconds: `45.2ms`, `12.0s`, `300s`.
        case seconds
        /// Seconds gained per second, the growth of an age: `0.80s/s`.
        case secondsPerSecond
        /// A count: whole numbers below a million as they are (`8`, `10000`), others scaled (`2.50M`).
        case count
        /// A plain number with two decimals, e.g. a coefficient of determination: `0.97`.
        case number
    }

    /// What the number is, e.g. `hit rate` or `size evictions`.
    public var label: String
    /// The value, in the base unit of ``unit`` (bytes, seconds, a fraction, per second).
    public var value: Double
    /// The unit of ``value``.
    public var unit: Unit

    /// Creates a cited number.
    public init(label: String, value: Double, unit: Unit) {
        self.label = label
        self.value = value
        self.unit = unit
    }

    /// The label and the value in its unit, e.g. `hit rate 42.0%` or `growth 2.00MiB/min`.
    public var text: String {
        self.label + " " + AdviceFormat.text(self.value, unit: self.unit)
    }
}
