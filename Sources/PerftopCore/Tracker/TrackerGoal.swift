/// What a target's value must be: a bound in absolute units (`< 50ms`, `>= 70%`) or a change against the
/// target's baseline (`-30% vs baseline`).
///
/// Absolute amounts keep the number and unit as written, so a goal prints back as written
/// (``description``); ``threshold`` converts to base units (seconds, bytes, a fraction for `%`, per second).
public enum TrackerGoal: Sendable, Hashable, CustomStringConvertible {
    /// The value compared with a fixed amount: `< 50ms` is `.absolute(.lessThan, amount: 50, unit: .milliseconds)`.
    case absolute(Comparison, amount: Double, unit: TrackerUnit)
    /// The value compared with the baseline: `-30% vs baseline` is `.relative(percent: -30)` and means at most
    /// 70% of the baseline; `+25% vs baseline` means at least 125% of it. Never zero.
    case relative(percent: Double)

    /// How a value is compared with a threshold.
    public enum Comparison: String, Sendable, Hashable, CaseIterable {
        /// The value must be below the threshold.
        case lessThan = "<"
        /// The value must be at most the threshold.
        case atMost = "<="
        /// The value must be above the threshold.
        case greaterThan = ">"
        /// The value must be at least the threshold.
        case atLeast = ">="

        /// Whether smaller values are better.
        public var wantsLower: Bool {
            self == .lessThan || self == .atMost
        }

        /// Whether `value` satisfies the comparison with `threshold`.
        public func holds(_ value: Double, _ threshold: Double) -> Bool {
            switch self {
            case .lessThan: value < threshold
            case .atMost: value <= threshold
            case .greaterThan: value > threshold
            case .atLeast: value >= threshold
            }
        }
    }

    /// Whether smaller values are better: true for `<`, `<=` and a negative relative change.
    public var wantsLower: Bool {
        switch self {
        case .absolute(let comparison, _, _): comparison.wantsLower
        case .relative(let percent): percent < 0
        }
    }

    /// The unit the goal is written in; ``TrackerUnit/none`` for a relative goal.
    public var unit: TrackerUnit {
        switch self {
        case .absolute(_, _, let unit): unit
        case .relative: .none
        }
    }

    /// The absolute threshold in base units, or nil for a relative goal.
    public var threshold: Double? {
        switch self {
        case .absolute(_, let amount, let unit): unit.baseValue(amount)
        case .relative: nil
        }
    }

    /// The comparison and threshold in base units, given the target's baseline; nil for a relative goal
    /// without a baseline. A relative goal compares with `<=` (a reduction) or `>=` (an increase).
    public func bound(baseline: Double?) -> (comparison: Comparison, threshold: Double)? {
        switch self {
        case .absolute(let comparison, let amount, let unit):
            return (comparison, unit.baseValue(amount))
        case .relative(let percent):
            guard let baseline else {
                return nil
            }
            return (percent < 0 ? .atMost : .atLeast, baseline * (1 + percent / 100))
        }
    }

    /// The canonical form, which ``init(parsing:)`` reads back to an equal goal: `< 50ms`, `>= 70%`,
    /// `< 1.5GiB`, `-30% vs baseline`.
    public var description: String {
        switch self {
        case .absolute(let comparison, let amount, let unit):
            "\(comparison.rawValue) \(Self.text(amount))\(unit.rawValue)"
        case .relative(let percent):
            "\(percent < 0 ? "-" : "+")\(Self.text(abs(percent)))% vs baseline"
        }
    }

    private static func text(_ amount: Double) -> String {
        if amount == amount.rounded(), abs(amount) < 1e15 {
            return String(Int64(amount))
        }
        return "\(amount)"
    }

    // MARK: - Parsing

    /// Reads a goal: `< 50ms`, `<=5 ms`, `>= 70%`, `> 1000/s`, `< 1.5 GiB`, `-30% vs baseline`,
    /// `+25% vs baseline`, or the wording of tracker documents: `25% reduction`, `60% latency reduction`
    /// (−N% vs baseline), `25% throughput increase` (+N% vs baseline).
    ///
    /// `≤` and `≥` are read as `<=` and `>=`. Units: see ``TrackerUnit``.
    ///
    /// - Throws: ``TrackerError`` naming the column, e.g. `column 5: unknown unit 'mz' (expected ...)`.
    public init(parsing text: String) throws {
        var scanner = GoalScanner(text)
        self = try scanner.goal()
    }
}

// MARK: - Parsing

/// A cursor over a goal's characters, for ``TrackerGoal/init(parsing:)``.
private struct GoalScanner {
    private let characters: [Character]
    private var index = 0

    init(_ text: String) {
        self.characters = Array(text)
    }

    private var current: Character? { self.index < self.characters.count ? self.characters[self.index] : nil }
    private var rest: String { String(self.characters[self.index...]) }

    private func error(_ message: String) -> TrackerError {
        TrackerError(message, column: self.index + 1)
    }

    private mutating func skipSpaces() {
        while let character = self.current, character.isWhitespace {
            self.index += 1
        }
    }

    mutating func goal() throws -> TrackerGoal {
        self.skipSpaces()
        guard let first = self.current else {
            throw self.error("empty goal (expected e.g. '< 50ms', '>= 70%' or '-30% vs baseline')")
        }
        if let comparison = self.comparison() {
            return try self.absolute(comparison)
        }
        var sign: Double?
        if first == "+" || first == "-" || first == "−" {
            sign = first == "+" ? 1 : -1
            self.index += 1
            self.skipSpaces()
        }
        let numberColumn = self.index
        guard let amount = self.number() else {
            throw self.error("expected a comparison (<, <=, >, >=) or a percentage, found '\(self.rest)'")
        }
        self.skipSpaces()
        guard self.current == "%" else {
            self.index = numberColumn
            throw self.error("expected a comparison (<, <=, >, >=) before '\(self.rest)'")
        }
        self.index += 1
        guard amount > 0 else {
            self.index = numberColumn
            throw self.error("a change against the baseline must not be zero")
        }
        return try self.relative(amount: amount, sign: sign)
    }

    private mutating func comparison() -> TrackerGoal.Comparison? {
        let pairs: [(String, TrackerGoal.Comparison)] = [
            ("<=", .atMost), (">=", .atLeast), ("≤", .atMost), ("≥", .atLeast), ("<", .lessThan), (">", .greaterThan),
        ]
        for (symbol, comparison) in pairs where self.rest.hasPrefix(symbol) {
            self.index += symbol.count
            return comparison
        }
        return nil
    }

    private mutating func absolute(_ comparison: TrackerGoal.Comparison) throws -> TrackerGoal {
        self.skipSpaces()
        guard let amount = self.number() else {
            throw self.error("expected a number after '\(comparison.rawValue)', found '\(self.rest)'")
        }
        self.skipSpaces()
        let unitColumn = self.index
        var symbol = ""
        while let character = self.current, !character.isWhitespace {
            symbol.append(character)
            self.index += 1
        }
        guard let unit = TrackerUnit(symbol: symbol) else {
            self.index = unitColumn
            let known = TrackerUnit.allCases.filter { $0 != .none }.map(\.rawValue).joined(separator: ", ")
            throw self.error("unknown unit '\(symbol)' (expected \(known) or none)")
        }
        self.skipSpaces()
        guard self.current == nil else {
            throw self.error("unexpected '\(self.rest)' after the unit")
        }
        return .absolute(comparison, amount: amount, unit: unit)
    }

    private mutating func relative(amount: Double, sign: Double?) throws -> TrackerGoal {
        let words = self.rest.lowercased().split { !$0.isLetter }.map(String.init)
        let wordsColumn = self.index
        if words == ["vs", "baseline"] || words == ["versus", "baseline"] {
            guard let sign else {
                throw self.error("write '-\(self.text(amount))% vs baseline' or '+\(self.text(amount))% vs baseline'")
            }
            return .relative(percent: sign * amount)
        }
        let direction: Double?
        switch words.last {
        case "reduction", "decrease", "lower", "less", "fewer", "smaller": direction = -1
        case "increase", "higher", "more", "greater", "larger": direction = 1
        default: direction = nil
        }
        guard let direction, sign == nil else {
            self.index = wordsColumn
            throw self.error("expected 'vs baseline', '… reduction' or '… increase' after the percentage")
        }
        return .relative(percent: direction * amount)
    }

    private func text(_ amount: Double) -> String {
        amount == amount.rounded() && amount < 1e15 ? String(Int64(amount)) : "\(amount)"
    }

    /// Reads a decimal number (`50`, `1.5`, `.5`, `2e-3`); nil, without moving, when there is none.
    private mutating func number() -> Double? {
        let start = self.index
        var text = ""
        func take(_ accept: (Character) -> Bool) {
            while let character = self.current, accept(character) {
                text.append(character)
                self.index += 1
            }
        }
        take { $0.isASCII && $0.isNumber }
        if self.current == "." {
            text.append(".")
            self.index += 1
            take { $0.isASCII && $0.isNumber }
        }
        if self.current == "e" || self.current == "E", !text.isEmpty {
            let mark = (self.index, text)
            text.append("e")
            self.index += 1
            if self.current == "-" || self.current == "+" {
                text.append(self.current!)
                self.index += 1
            }
            let digits = text.count
            take { $0.isASCII && $0.isNumber }
            if text.count == digits {
                (self.index, text) = mark
            }
        }
        guard let value = Double(text), value.isFinite else {
            self.index = start
            return nil
        }
        return value
    }
}
