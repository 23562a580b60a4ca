import NIOHTTP1
import PerfKit

/// The directives of a request's or a response's `Cache-Control` header fields that the
/// ``HTTPResponseCache`` acts on (RFC 9111 §5.2); other directives are ignored.
///
/// Directive names are matched without regard to case, every `Cache-Control` field line is read, and
/// commas inside quoted strings do not split directives. A qualified `no-cache="field"` or
/// `private="field"` is treated as its unqualified form, which RFC 9111 allows and which never stores or
/// serves more than the qualified form would. A `max-age` or `s-maxage` that is not a number, or that
/// appears twice with different values, counts as `0`: the response is stale at once.
public struct CacheControl: Sendable, Hashable {
    /// `max-age`, in seconds: how long the response is fresh, or how old a response the request accepts.
    public var maxAge: Int?
    /// `s-maxage`, in seconds: how long the response is fresh in a shared cache, overriding ``maxAge``.
    public var sharedMaxAge: Int?
    /// `no-store`: the response must not be stored.
    public var noStore: Bool
    /// `no-cache`: a stored response must be revalidated with the origin before every use.
    public var noCache: Bool
    /// `private`: the response is for one user and must not be stored by a shared cache.
    public var isPrivate: Bool
    /// `public`: the response may be stored by a shared cache even for a request with `Authorization`.
    public var isPublic: Bool
    /// `must-revalidate`: a stale response must not be used without revalidation.
    public var mustRevalidate: Bool

    /// The largest delta-seconds value kept (RFC 9111 §1.2.2); larger ones are cut to it.
    static let maximumDeltaSeconds = 2_147_483_648

    /// Creates directives from their values; none are set by default.
    public init(
        maxAge: Int? = nil,
        sharedMaxAge: Int? = nil,
        noStore: Bool = false,
        noCache: Bool = false,
        isPrivate: Bool = false,
        isPublic: Bool = false,
        mustRevalidate: Bool = false
    ) {
        self.maxAge = maxAge
        self.sharedMaxAge = sharedMaxAge
        self.noStore = noStore
        self.noCache = noCache
        self.isPrivate = isPrivate
        self.isPublic = isPublic
        self.mustRevalidate = mustRevalidate
    }

    /// Reads the directives of every `Cache-Control` field line in `headers`.
    ///
    /// Cost: one pass over the fields' characters.
    public init(headers: HTTPHeaders) {
        self.init()
        for line in headers["Cache-Control"] {
            self.parse(line)
        }
    }

    /// Reads the directives of one `Cache-Control` field value, e.g. `max-age=60, must-revalidate`.
    public init(_ value: String) {
        self.init()
        self.parse(value)
    }

    // MARK: - Parsing

    private mutating func parse(_ value: String) {
        for directive in Self.directives(of: value) {
            let name: Substring
            let argument: Substring?
            if let equals = directive.firstIndex(of: "=") {
                name = directive[..<equals]
                argument = Self.unquoted(directive[directive.index(after: equals)...])
            } else {
                name = directive
                argument = nil
            }
            switch name.lowercased() {
            case "max-age": self.maxAge = Self.merged(self.maxAge, Self.deltaSeconds(argument))
            case "s-maxage": self.sharedMaxAge = Self.merged(self.sharedMaxAge, Self.deltaSeconds(argument))
            case "no-store": self.noStore = true
            case "no-cache": self.noCache = true
            case "private": self.isPrivate = true
            case "public": self.isPublic = true
            case "must-revalidate": self.mustRevalidate = true
            default: break
            }
        }
    }

    /// The trimmed, non-empty directives of `value`, split at the commas outside quoted strings.
    /// HTTP's optional white space (RFC 9110, "OWS"): spaces and tabs, nothing else.
    static func isOptionalWhitespace(_ character: Character) -> Bool {
        character == " " || character == "\t"
    }

    private static func directives(of value: String) -> [Substring] {
        var directives: [Substring] = []
        var start = value.startIndex
        var inQuotes = false
        var index = value.startIndex
        while index < value.endIndex {
            switch value[index] {
            case "\"": inQuotes.toggle()
            case "," where !inQuotes:
                directives.append(value[start..<index])
                start = value.index(after: index)
            default: break
            }
            index = value.index(after: index)
        }
        directives.append(value[start...])
        return directives.map { $0.trimming(Self.isOptionalWhitespace) }.filter { !$0.isEmpty }
    }

    private static func unquoted(_ text: Substring) -> Substring {
        let text = text.trimming(Self.isOptionalWhitespace)
        guard text.count >= 2, text.first == "\"", text.last == "\"" else {
            return text
        }
        return text.dropFirst().dropLast()
    }

    /// Delta-seconds, cut to ``maximumDeltaSeconds``; `0` (stale) when missing or not a number.
    private static func deltaSeconds(_ argument: Substring?) -> Int {
        guard let argument, !argument.isEmpty, argument.allSatisfy(\.isASCII), argument.allSatisfy(\.isNumber)
        else {
            return 0
        }
        return Int(argument).map { min($0, Self.maximumDeltaSeconds) } ?? Self.maximumDeltaSeconds
    }

    /// The value of a directive seen again: kept when the same, else `0` (stale).
    private static func merged(_ previous: Int?, _ value: Int) -> Int {
        guard let previous else {
            return value
        }
        return previous == value ? value : 0
    }
}
