/// Ranks live series by how well their names match a tracker target's name, for the tracker pane's
/// `b` picker: `Resolver Lookup` puts `operation_seconds{op="resolver.lookup"}` first.
///
/// Both sides are cut into words (``words(of:)``): the query, and each series' metric name and label
/// values. Each word of the query scores 3 when a series has the same word, 2 when one is a prefix of
/// the other (`lookups`, `lookup`; at least three letters), 1 when one contains the other (at least
/// three letters), else 0. A series' score is the sum; ties go to the series with fewer words of its
/// own (the more specific one), then to its selector's order. A pure value; cost O(query words ×
/// series words) per series, its words cut once (``Candidate``).
public struct SeriesMatcher: Sendable {
    /// A series with its words, cut once, so ranking it again for each character typed costs only
    /// the scores.
    public struct Candidate: Sendable, Equatable {
        /// The series.
        public let series: BindableSeries
        /// Its metric name's words, then its label values'.
        public let words: [String]
        /// Its selector as written, the last key of the order.
        let text: String

        /// Cuts the words of `series`.
        public init(_ series: BindableSeries) {
            self.series = series
            self.text = series.selector.description
            self.words =
                SeriesMatcher.words(of: series.selector.name)
                + series.selector.matchers.flatMap { SeriesMatcher.words(of: $0.value) }
        }
    }

    /// The query's words, without repeats.
    public let words: [String]

    /// The shortest word that matches by prefix or by containment, in UTF-8 bytes (letters, for ASCII).
    static let minimumPartialLength = 3

    /// Creates a matcher for `query`, e.g. a target's name or what the user typed.
    public init(query: String) {
        var seen: Set<String> = []
        self.words = Self.words(of: query).filter { seen.insert($0).inserted }
    }

    /// The lowercase words of `text`: split at every character that is not a letter or a digit, and
    /// inside a word where a lowercase letter is followed by an uppercase letter (`VectorSearch` →
    /// `vector`, `search`; `1K` stays one word) and before the last capital of a run followed by a
    /// lowercase letter (`LLMResponse` → `llm`, `response`). Reads Unicode scalars, so it is cheap
    /// enough for every series of a fleet.
    public static func words(of text: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        var previous: Unicode.Scalar?
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            let properties = scalar.properties
            guard properties.isAlphabetic || properties.numericType != nil else {
                if !current.isEmpty {
                    words.append(String(current).lowercased())
                    current = String.UnicodeScalarView()
                }
                previous = nil
                continue
            }
            if let last = previous, properties.isUppercase {
                let nextIsLowercase = index + 1 < scalars.count && scalars[index + 1].properties.isLowercase
                if last.properties.isLowercase || (last.properties.isUppercase && nextIsLowercase) {
                    words.append(String(current).lowercased())
                    current = String.UnicodeScalarView()
                }
            }
            current.append(scalar)
            previous = scalar
        }
        if !current.isEmpty {
            words.append(String(current).lowercased())
        }
        return words
    }

    /// How well `candidate` matches: 0 when no word matches.
    public func score(_ candidate: Candidate) -> Int {
        self.words.reduce(0) { $0 + Self.score(word: $1, against: candidate.words) }
    }

    /// The series of `candidates` best first (score, then fewer words, then selector); with
    /// `everyWord`, only those where every word of the query is part of one of theirs, however short
    /// (a typed filter: `qu` keeps `processor_queue_depth`), else all of them, those that match
    /// nothing last. Cost: O(n log n) plus the scores.
    public func ranked(_ candidates: [Candidate], everyWord: Bool = false) -> [BindableSeries] {
        let scored = candidates.compactMap { candidate -> (candidate: Candidate, score: Int)? in
            if everyWord, !self.words.allSatisfy({ word in candidate.words.contains { $0.contains(word) } }) {
                return nil
            }
            return (candidate, self.score(candidate))
        }
        return scored.sorted { lhs, rhs in
            if lhs.score != rhs.score {
                return lhs.score > rhs.score
            }
            if lhs.candidate.words.count != rhs.candidate.words.count {
                return lhs.candidate.words.count < rhs.candidate.words.count
            }
            return lhs.candidate.text < rhs.candidate.text
        }
        .map(\.candidate.series)
    }

    // MARK: - Scoring

    /// 3 for the same word, 2 for a prefix either way, 1 for containment either way, else 0.
    private static func score(word: String, against own: [String]) -> Int {
        var best = 0
        for candidate in own {
            if candidate == word {
                return 3
            }
            // UTF-8 lengths: O(1), where counting characters walks the string.
            let short = min(word.utf8.count, candidate.utf8.count)
            guard short >= Self.minimumPartialLength else {
                continue
            }
            if candidate.hasPrefix(word) || word.hasPrefix(candidate) {
                best = max(best, 2)
            } else if candidate.contains(word) || word.contains(candidate) {
                best = max(best, 1)
            }
        }
        return best
    }
}
