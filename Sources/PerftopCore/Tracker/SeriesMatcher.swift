/// Ranks live series by how well their names match a tracker target's name, for the tracker pane's
/// `b` picker: `Resolver Lookup` puts `operation_seconds{op="resolver.lookup"}` first.
///
/// Both sides are cut into words (``words(of:)``): the query, and each series' metric name and label
/// values. Each word of the query scores 3 when a series has the same word, 2 when one is a prefix of
/// the other (`lookups`, `lookup`; at least three letters), 1 when one contains the other (at least
/// three letters), else 0. A series' score is the sum; ties go to the series with fewer words of its
/// own (the more specific one), then to its selector's order. A pure value; cost O(query words ×
/// series words) per series.
public struct SeriesMatcher: Sendable {
    /// The query's words, without repeats.
    public let words: [String]

    /// The shortest word that matches by prefix or by containment.
    static let minimumPartialLength = 3

    /// Creates a matcher for `query`, e.g. a target's name or what the user typed.
    public init(query: String) {
        var seen: Set<String> = []
        self.words = Self.words(of: query).filter { seen.insert($0).inserted }
    }

    /// The lowercase words of `text`: split at every character that is not a letter or a digit, and
    /// inside a word where a lowercase letter is followed by an uppercase letter
    /// (`VectorSearch` → `vector`, `search`; `1K` stays one word) and before the last capital of a run followed by a
    /// lowercase letter (`LLMResponse` → `llm`, `response`).
    public static func words(of text: String) -> [String] {
        var words: [String] = []
        var current: [Character] = []
        func finish() {
            if !current.isEmpty {
                words.append(String(current).lowercased())
                current = []
            }
        }
        let characters = Array(text)
        for (index, character) in characters.enumerated() {
            guard character.isLetter || character.isNumber else {
                finish()
                continue
            }
            if let previous = current.last, character.isUppercase {
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                if previous.isLowercase || (previous.isUppercase && next.map { $0.isLowercase } == true) {
                    finish()
                }
            }
            current.append(character)
        }
        finish()
        return words
    }

    /// How well `series` matches: 0 when no word matches.
    public func score(_ series: BindableSeries) -> Int {
        self.score(words: Self.words(of: series))
    }

    /// `candidates` best first (score, then fewer words, then selector); with `everyWord`, only
    /// those where every word of the query is part of one of theirs, however short (a typed
    /// filter: `qu` keeps `processor_queue_depth`), else all of them, those
    /// that match nothing last. Cost: O(n log n) plus the scores.
    public func ranked(_ candidates: [BindableSeries], everyWord: Bool = false) -> [BindableSeries] {
        let scored = candidates.compactMap { candidate -> (series: BindableSeries, score: Int, words: Int)? in
            let own = Self.words(of: candidate)
            if everyWord, !self.words.allSatisfy({ word in own.contains { $0.contains(word) } }) {
                return nil
            }
            return (candidate, self.score(words: own), own.count)
        }
        return scored.sorted { lhs, rhs in
            if lhs.score != rhs.score {
                return lhs.score > rhs.score
            }
            if lhs.words != rhs.words {
                return lhs.words < rhs.words
            }
            return lhs.series.selector.description < rhs.series.selector.description
        }
        .map(\.series)
    }

    // MARK: - Scoring

    /// The words of a series: its metric name's and its label values'.
    private static func words(of series: BindableSeries) -> [String] {
        Self.words(of: series.selector.name) + series.selector.matchers.flatMap { Self.words(of: $0.value) }
    }

    private func score(words own: [String]) -> Int {
        self.words.reduce(0) { $0 + Self.score(word: $1, against: own) }
    }

    /// 3 for the same word, 2 for a prefix either way, 1 for containment either way, else 0.
    private static func score(word: String, against own: [String]) -> Int {
        var best = 0
        for candidate in own {
            if candidate == word {
                return 3
            }
            let short = min(word.count, candidate.count)
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
