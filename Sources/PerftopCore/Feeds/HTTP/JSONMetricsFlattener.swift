import FoundationEssentials
import PerfKit

/// Turns any JSON document into samples: every numeric leaf becomes one untyped sample.
///
/// Naming: the path from the root to the leaf, object keys and array indices joined by dots
/// (`memstats.BySize.3.Mallocs`), is made a valid Prometheus metric name by replacing every character
/// other than `A-Z`, `a-z`, `0-9`, `_` and `:` (the dots included) with `_`, and prefixing `_` when it
/// starts with a digit: `memstats_BySize_3_Mallocs`. A document that is a bare number is called
/// `value`. When two paths end up with the same name, the first in key order wins and the others are
/// dropped; of a key an object repeats, the first occurrence that holds a number or boolean counts.
/// Booleans become 0 and 1; strings and nulls are ignored. Samples come out sorted by path.
///
/// Go expvar: a top-level `memstats` object (what `/debug/vars` serves) also yields the churn
/// conventions of docs/metrics.md: `Mallocs` → `allocs_total`, `Frees` → `frees_total`, `TotalAlloc` →
/// `alloc_bytes_total` (counters), `HeapAlloc` → `process_heap_in_use_bytes` (gauge), `NumGC` →
/// `gc_collections_total` and `PauseTotalNs` → `gc_pause_seconds_total` (counters, nanoseconds turned
/// into seconds).
///
/// Reading: RFC 8259 JSON in UTF-8 (a leading byte order mark is skipped): any value at the top, strings
/// with every escape including surrogate pairs, numbers that fit a `Double`. Anything else is `invalid
/// JSON`.
///
/// Bounds: at most ``maximumSamples`` numeric leaves and ``maximumDepth`` levels of nesting; a
/// document over either fails with a ``JSONFlatteningError`` rather than being cut silently. Both limits
/// apply while the document is read, so an oversized one costs no more than reading up to the leaf or
/// the level that breaks the limit. Cost: one pass over the bytes, then sorting each object's keys;
/// memory holds only the numeric leaves and the keys that lead to them (strings, nulls and empty
/// containers are checked and dropped as they are read), and the reader recurses at most
/// ``maximumDepth`` levels deep.
public struct JSONMetricsFlattener: Sendable {
    /// The most numeric leaves (booleans included) a document may hold.
    public var maximumSamples: Int
    /// The deepest nesting accepted; the root object is level 1.
    public var maximumDepth: Int

    /// Creates a flattener.
    ///
    /// - Parameters:
    ///   - maximumSamples: at least 1; 10,000 by default.
    ///   - maximumDepth: at least 1; 32 by default.
    public init(maximumSamples: Int = 10_000, maximumDepth: Int = 32) {
        precondition(maximumSamples >= 1 && maximumDepth >= 1, "A flattener must allow something")
        self.maximumSamples = maximumSamples
        self.maximumDepth = maximumDepth
    }

    /// Flattens one JSON document.
    ///
    /// - Throws: ``JSONFlatteningError``: `invalid JSON`, `nesting deeper than N levels` or
    ///   `more than N numeric values`.
    public func flatten(_ data: Data) throws(JSONFlatteningError) -> [Sample] {
        let document = data.withUnsafeBytes { raw in
            Result { () throws(JSONFlatteningError) -> JSONNode? in
                var reader = JSONReader(
                    bytes: raw.assumingMemoryBound(to: UInt8.self),
                    maximumLeaves: self.maximumSamples,
                    maximumDepth: self.maximumDepth
                )
                return try reader.document()
            }
        }
        guard let root = try document.get() else {
            return []
        }
        var flattening = Flattening(limit: self.maximumSamples)
        var path: [String] = []
        try flattening.visit(root, path: &path)
        if case .container(let members) = root, case .container(let memstats)? = members.first(named: "memstats") {
            try flattening.appendExpvar(memstats)
        }
        return flattening.samples
    }

    /// `path` as a metric name: dots between the parts, then every character outside `[A-Za-z0-9_:]`
    /// replaced with `_`, and `_` in front of a leading digit (`_` for an empty key, `value` for the
    /// document's root); the rule of the swift-metrics backend's names.
    public static func metricName(path: [String]) -> String {
        path.isEmpty ? "value" : PrometheusName.sanitized(path.joined(separator: "."), allowsColon: true)
    }
}

/// Why a JSON document could not be flattened.
public struct JSONFlatteningError: Error, Hashable, CustomStringConvertible {
    /// The reason, lower case, without a trailing period.
    public var reason: String

    /// Creates an error with the reason to show.
    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String {
        self.reason
    }
}

// MARK: - Walking the document

/// The samples of one flattening and the names already taken.
private struct Flattening {
    /// Go expvar `memstats` fields and the conventional names they feed.
    static let expvar: [(field: String, name: String, kind: Sample.Kind, scale: Double)] = [
        ("Mallocs", MetricName.allocations, .counter, 1),
        ("Frees", MetricName.frees, .counter, 1),
        ("TotalAlloc", MetricName.allocatedBytes, .counter, 1),
        ("HeapAlloc", MetricName.processHeapInUse, .gauge, 1),
        ("NumGC", MetricName.gcCollections, .counter, 1),
        ("PauseTotalNs", MetricName.gcPauseSeconds, .counter, 1e-9),
    ]

    let limit: Int
    var samples: [Sample] = []
    var names: Set<String> = []

    init(limit: Int) {
        self.limit = limit
    }

    mutating func visit(_ node: JSONNode, path: inout [String]) throws(JSONFlatteningError) {
        switch node {
        case .leaf(let value, _):
            try self.append(JSONMetricsFlattener.metricName(path: path), .untyped, value)
        case .container(let members):
            for member in members {
                path.append(member.key)
                try self.visit(member.node, path: &path)
                path.removeLast()
            }
        }
    }

    mutating func appendExpvar(_ memstats: [JSONNode.Member]) throws(JSONFlatteningError) {
        for mapping in Self.expvar {
            if case .leaf(let value, isNumber: true)? = memstats.first(named: mapping.field) {
                try self.append(mapping.name, mapping.kind, value * mapping.scale)
            }
        }
    }

    private mutating func append(_ name: String, _ kind: Sample.Kind, _ value: Double) throws(JSONFlatteningError) {
        guard self.names.insert(name).inserted else {
            return
        }
        guard self.samples.count < self.limit else {
            throw JSONFlatteningError("more than \(self.limit) numeric values")
        }
        self.samples.append(Sample(name: name, kind: kind, value: value))
    }
}

// MARK: - Reading the document

/// What the reader keeps of a value: a numeric leaf (a number, or a boolean as 0 or 1), or an object or
/// array that holds at least one. Strings, nulls and containers without a leaf are not kept.
private indirect enum JSONNode {
    /// A container's member: its key, or its index as text for an array element.
    typealias Member = (key: String, node: JSONNode)

    case leaf(Double, isNumber: Bool)
    /// Members in key order (an object, each key once) or index order (an array).
    case container([Member])
}

extension [JSONNode.Member] {
    /// The member called `key`.
    fileprivate func first(named key: String) -> JSONNode? {
        self.first { $0.key == key }?.node
    }
}

/// A recursive-descent reader of one JSON document that applies the flattener's limits as it goes.
private struct JSONReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let maximumLeaves: Int
    let maximumDepth: Int
    private var position = 0
    private var leaves = 0

    init(bytes: UnsafeBufferPointer<UInt8>, maximumLeaves: Int, maximumDepth: Int) {
        self.bytes = bytes
        self.maximumLeaves = maximumLeaves
        self.maximumDepth = maximumDepth
    }

    /// Reads the whole input: one value between optional whitespace, after an optional byte order mark.
    mutating func document() throws(JSONFlatteningError) -> JSONNode? {
        if self.bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            self.position = 3
        }
        self.skipWhitespace()
        let node = try self.value(depth: 0)
        self.skipWhitespace()
        guard self.position == self.bytes.count else {
            throw Self.invalid
        }
        return node
    }

    private static let invalid = JSONFlatteningError("invalid JSON")

    // MARK: Values

    /// Reads a value inside `depth` containers.
    private mutating func value(depth: Int) throws(JSONFlatteningError) -> JSONNode? {
        guard let byte = self.peek() else {
            throw Self.invalid
        }
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depth < self.maximumDepth else {
                throw JSONFlatteningError("nesting deeper than \(self.maximumDepth) levels")
            }
            self.position += 1
            return byte == UInt8(ascii: "{") ? try self.object(depth: depth + 1) : try self.array(depth: depth + 1)
        case UInt8(ascii: "\""):
            _ = try self.string()
            return nil
        case UInt8(ascii: "t"):
            try self.literal("true")
            return try self.leaf(1, isNumber: false)
        case UInt8(ascii: "f"):
            try self.literal("false")
            return try self.leaf(0, isNumber: false)
        case UInt8(ascii: "n"):
            try self.literal("null")
            return nil
        default:
            return try self.leaf(try self.number(), isNumber: true)
        }
    }

    private mutating func leaf(_ value: Double, isNumber: Bool) throws(JSONFlatteningError) -> JSONNode {
        self.leaves += 1
        guard self.leaves <= self.maximumLeaves else {
            throw JSONFlatteningError("more than \(self.maximumLeaves) numeric values")
        }
        return .leaf(value, isNumber: isNumber)
    }

    /// Reads an object's members after its `{`, at `depth`; members sorted by key.
    private mutating func object(depth: Int) throws(JSONFlatteningError) -> JSONNode? {
        var members: [JSONNode.Member] = []
        self.skipWhitespace()
        if self.consume(UInt8(ascii: "}")) {
            return nil
        }
        repeat {
            self.skipWhitespace()
            guard self.peek() == UInt8(ascii: "\"") else {
                throw Self.invalid
            }
            let key = try self.string()
            self.skipWhitespace()
            guard self.consume(UInt8(ascii: ":")) else {
                throw Self.invalid
            }
            self.skipWhitespace()
            if let node = try self.value(depth: depth) {
                members.append((self.text(of: key), node))
            }
            self.skipWhitespace()
        } while self.consume(UInt8(ascii: ","))
        guard self.consume(UInt8(ascii: "}")) else {
            throw Self.invalid
        }
        guard !members.isEmpty else {
            return nil
        }
        // Sorted by key, and of a repeated key only the first kept: the offset keeps document order.
        let sorted = members.enumerated().sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }
        var unique: [JSONNode.Member] = []
        unique.reserveCapacity(sorted.count)
        for (_, member) in sorted where unique.last?.key != member.key {
            unique.append(member)
        }
        return .container(unique)
    }

    /// Reads an array's elements after its `[`, at `depth`.
    private mutating func array(depth: Int) throws(JSONFlatteningError) -> JSONNode? {
        var members: [JSONNode.Member] = []
        self.skipWhitespace()
        if self.consume(UInt8(ascii: "]")) {
            return nil
        }
        var index = 0
        repeat {
            self.skipWhitespace()
            if let node = try self.value(depth: depth) {
                members.append((String(index), node))
            }
            index += 1
            self.skipWhitespace()
        } while self.consume(UInt8(ascii: ","))
        guard self.consume(UInt8(ascii: "]")) else {
            throw Self.invalid
        }
        return members.isEmpty ? nil : .container(members)
    }

    private mutating func literal(_ word: StaticString) throws(JSONFlatteningError) {
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard self.bytes.count - self.position >= expected.count,
            self.bytes[self.position..<self.position + expected.count].elementsEqual(expected)
        else {
            throw Self.invalid
        }
        self.position += expected.count
    }

    // MARK: Numbers

    /// Reads `-? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?`; one that overflows a `Double` is invalid.
    private mutating func number() throws(JSONFlatteningError) -> Double {
        let start = self.position
        _ = self.consume(UInt8(ascii: "-"))
        let integerStart = self.position
        guard self.skipDigits() > 0 else {
            throw Self.invalid
        }
        if self.bytes[integerStart] == UInt8(ascii: "0"), self.position - integerStart > 1 {
            throw Self.invalid
        }
        var isInteger = true
        if self.consume(UInt8(ascii: ".")) {
            isInteger = false
            guard self.skipDigits() > 0 else {
                throw Self.invalid
            }
        }
        if self.consume(UInt8(ascii: "e")) || self.consume(UInt8(ascii: "E")) {
            isInteger = false
            _ = self.consume(UInt8(ascii: "+")) || self.consume(UInt8(ascii: "-"))
            guard self.skipDigits() > 0 else {
                throw Self.invalid
            }
        }
        let text = UnsafeBufferPointer(rebasing: self.bytes[start..<self.position])
        // Up to 15 digits an integer is exact in a Double: the common case, without a string.
        if isInteger, self.position - integerStart <= 15 {
            let magnitude = text[(integerStart - start)...].reduce(0) { $0 * 10 + Int($1 &- UInt8(ascii: "0")) }
            return Double(integerStart == start ? magnitude : -magnitude)
        }
        guard let value = Double(String(decoding: text, as: UTF8.self)), value.isFinite else {
            throw Self.invalid
        }
        return value
    }

    /// Skips decimal digits and returns how many.
    private mutating func skipDigits() -> Int {
        let start = self.position
        while let byte = self.peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
            self.position += 1
        }
        return self.position - start
    }

    // MARK: Strings

    /// Where a string's contents lie (between its quotes) and whether they hold escapes.
    private struct StringToken {
        var contents: Range<Int>
        var hasEscapes: Bool
    }

    /// Checks a string from its opening quote through its closing one: no control characters, valid
    /// escapes (a `\u` high surrogate only with its low one) and valid UTF-8.
    private mutating func string() throws(JSONFlatteningError) -> StringToken {
        self.position += 1
        let start = self.position
        var hasEscapes = false
        var isASCII = true
        while true {
            guard let byte = self.peek() else {
                throw Self.invalid
            }
            switch byte {
            case UInt8(ascii: "\""):
                let contents = start..<self.position
                self.position += 1
                if !isASCII, !Self.isValidUTF8(UnsafeBufferPointer(rebasing: self.bytes[contents])) {
                    throw Self.invalid
                }
                return StringToken(contents: contents, hasEscapes: hasEscapes)
            case UInt8(ascii: "\\"):
                hasEscapes = true
                self.position += 1
                try self.skipEscape()
            case ..<0x20:
                throw Self.invalid
            default:
                isASCII = isASCII && byte < 0x80
                self.position += 1
            }
        }
    }

    /// Skips an escape after its backslash.
    private mutating func skipEscape() throws(JSONFlatteningError) {
        guard let byte = self.peek() else {
            throw Self.invalid
        }
        self.position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return
        case UInt8(ascii: "u"):
            guard let unit = Self.hexUnit(self.bytes, at: self.position) else {
                throw Self.invalid
            }
            self.position += 4
            if UTF16.isTrailSurrogate(unit) {
                throw Self.invalid
            }
            if UTF16.isLeadSurrogate(unit) {
                guard self.consume(UInt8(ascii: "\\")), self.consume(UInt8(ascii: "u")),
                    let trail = Self.hexUnit(self.bytes, at: self.position), UTF16.isTrailSurrogate(trail)
                else {
                    throw Self.invalid
                }
                self.position += 4
            }
        default:
            throw Self.invalid
        }
    }

    /// The text of a string checked by ``string()``.
    private func text(of token: StringToken) -> String {
        let contents = UnsafeBufferPointer(rebasing: self.bytes[token.contents])
        guard token.hasEscapes else {
            return String(decoding: contents, as: UTF8.self)
        }
        var scalars = String.UnicodeScalarView()
        var index = 0
        while index < contents.count {
            guard contents[index] == UInt8(ascii: "\\") else {
                // Copy the run up to the next escape as it is.
                let end = contents[index...].firstIndex(of: UInt8(ascii: "\\")) ?? contents.count
                scalars.append(contentsOf: String(decoding: contents[index..<end], as: UTF8.self).unicodeScalars)
                index = end
                continue
            }
            let escaped = contents[index + 1]
            index += 2
            switch escaped {
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                var value = UInt32(Self.hexUnit(contents, at: index) ?? 0)
                index += 4
                if UTF16.isLeadSurrogate(UInt16(value)) {
                    let trail = UInt32(Self.hexUnit(contents, at: index + 2) ?? 0)
                    value = 0x10000 + ((value - 0xD800) << 10) + (trail - 0xDC00)
                    index += 6
                }
                scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
            default: scalars.append(Unicode.Scalar(escaped))
            }
        }
        return String(scalars)
    }

    /// The UTF-16 code unit of the four hex digits at `index`, or nil.
    private static func hexUnit(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt16? {
        guard bytes.count - index >= 4 else {
            return nil
        }
        var unit: UInt16 = 0
        for byte in bytes[index..<index + 4] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            unit = unit << 4 | UInt16(digit)
        }
        return unit
    }

    private static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    // MARK: Bytes

    private func peek() -> UInt8? {
        self.position < self.bytes.count ? self.bytes[self.position] : nil
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard self.peek() == byte else {
            return false
        }
        self.position += 1
        return true
    }

    private mutating func skipWhitespace() {
        while let byte = self.peek(),
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
                || byte == UInt8(ascii: "\t")
        {
            self.position += 1
        }
    }
}
