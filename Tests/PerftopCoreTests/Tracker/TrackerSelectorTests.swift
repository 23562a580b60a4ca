import PerfKit
import Testing

@testable import PerftopCore

@Suite("Tracker selectors and statistics")
struct TrackerSelectorTests {
    @Test("reads a name and label matchers, with whitespace, escapes and a trailing comma")
    func parsing() throws {
        let selector = try MetricSelector(parsing: #"  operation_seconds { op = "embed" , note!="a\"b\\c\nd", }  "#)
        #expect(selector.name == "operation_seconds")
        #expect(
            selector.matchers == [
                .init(label: "op", value: "embed"),
                .init(label: "note", value: "a\"b\\c\nd", negated: true),
            ]
        )
        #expect(selector.description == #"operation_seconds{op="embed",note!="a\"b\\c\nd"}"#)
        #expect(try MetricSelector(parsing: selector.description) == selector)
    }

    @Test("a bare name and empty braces select by name alone")
    func bareName() throws {
        #expect(
            try MetricSelector(parsing: "process_resident_memory_bytes")
                == MetricSelector(name: "process_resident_memory_bytes")
        )
        #expect(try MetricSelector(parsing: "cache_hits_total{}") == MetricSelector(name: "cache_hits_total"))
        #expect(try MetricSelector(parsing: "ns:rule_name{ }").name == "ns:rule_name")
    }

    @Test(
        "errors name the column and what was expected",
        arguments: [
            ("", "column 1: expected a metric name, found the end"),
            ("9abc", "column 1: expected a metric name, found '9'"),
            ("x{cache}", "column 8: expected '=' or '!=' after label 'cache', found '}'"),
            ("x{cache=users}", "column 9: expected a quoted value, found 'u'"),
            (#"x{cache="users"#, "column 15: unterminated quoted value"),
            (#"x{a="1" b="2"}"#, "column 9: expected ',' or '}' after the value of 'a', found 'b'"),
            (#"x{a=~"1"}"#, "column 5: regular-expression matchers (=~, !~) are not supported"),
            (#"x{a="\t"}"#, #"column 7: unknown escape \t (use \", \\ or \n)"#),
            ("x y", "column 3: expected '{' or the end after the metric name, found 'y'"),
            (#"x{,}"#, "column 3: expected a label name or '}', found ','"),
        ]
    )
    func errors(text: String, message: String) {
        #expect(throws: TrackerError.self) { try MetricSelector(parsing: text) }
        do {
            _ = try MetricSelector(parsing: text)
        } catch {
            #expect("\(error)" == message)
        }
    }

    // Found by Fuzz/FuzzTrackerGoal: a combining mark after an escape's `n`, `"` or `\` joined it into one Character,
    // so the canonical form of such a value did not read back ("unknown escape").
    @Test(
        "the canonical form reads back, combining marks after escapes included",
        arguments: ["\n\u{0612}", "\"\u{301}", "\\\u{301}", "e\u{301}", "\u{301}", ""]
    )
    func canonicalFormReadsBack(value: String) throws {
        let selector = MetricSelector(name: "x", matchers: [.init(label: "a", value: value)])
        #expect(try MetricSelector(parsing: selector.description) == selector)
    }

    @Test("errors count columns in characters as a person does")
    func columnsCountCharacters() {
        #expect(throws: TrackerError("expected '=' or '!=' after label 'b', found '}'", column: 11)) {
            try MetricSelector(parsing: "x{a=\"e\u{301}\",b }")
        }
    }

    @Test("matches by name and labels; a missing label is empty; source names the perftop source")
    func matching() throws {
        let id = SeriesID(name: "cache_hits_total", labels: ["cache": "users", "tier": "disk"])
        #expect(try MetricSelector(parsing: #"cache_hits_total{cache="users"}"#).matches(id, source: "a"))
        #expect(try !MetricSelector(parsing: #"cache_hits_total{cache="other"}"#).matches(id, source: "a"))
        #expect(try !MetricSelector(parsing: #"cache_misses_total{cache="users"}"#).matches(id, source: "a"))
        #expect(try MetricSelector(parsing: #"cache_hits_total{tier!="memory"}"#).matches(id, source: "a"))
        #expect(try !MetricSelector(parsing: #"cache_hits_total{tier=""}"#).matches(id, source: "a"))
        #expect(try MetricSelector(parsing: #"cache_hits_total{kind=""}"#).matches(id, source: "a"))
        #expect(try MetricSelector(parsing: #"cache_hits_total{source="a"}"#).matches(id, source: "a"))
        #expect(try !MetricSelector(parsing: #"cache_hits_total{source="b"}"#).matches(id, source: "a"))
        let labelled = SeriesID(name: "info", labels: ["source": "interposer"])
        #expect(try MetricSelector(parsing: #"info{source="interposer"}"#).matches(labelled, source: "a"))
        #expect(try MetricSelector(parsing: #"info{__source__="a"}"#).matches(labelled, source: "a"))
        #expect(try !MetricSelector(parsing: #"info{__source__="interposer"}"#).matches(labelled, source: "a"))
    }

    @Test("statistic names, and statistics described by a measurement method")
    func statistics() throws {
        #expect(try TrackerStatistic(parsing: "p95") == .p95)
        #expect(try TrackerStatistic(parsing: " Hit Ratio ") == .hitRatio)
        #expect(try TrackerStatistic(parsing: "hit_ratio") == .hitRatio)
        #expect(try TrackerStatistic(parsing: "average") == .mean)
        #expect(throws: TrackerError.self) { try TrackerStatistic(parsing: "p42") }
        #expect(TrackerStatistic(describedBy: "p95 latency") == .p95)
        #expect(TrackerStatistic(describedBy: "Average lookup time") == .mean)
        #expect(TrackerStatistic(describedBy: "requests per second") == .rate)
        #expect(TrackerStatistic(describedBy: "cache hit rate") == .hitRatio)
        #expect(TrackerStatistic(describedBy: "End-to-end execution time") == nil)
        #expect(TrackerStatistic.p99.quantile == 0.99)
        #expect(TrackerStatistic.max.quantile == 1)
        #expect(TrackerStatistic.rate.quantile == nil)
    }
}
