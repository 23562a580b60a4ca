import PerfKit
import Testing

@Suite struct SeriesIDTests {
    @Test func sortsLabelsByName() {
        let id = SeriesID(name: "cache_evictions_total", labels: ["cause": "size", "cache": "users"])
        #expect(id.labels.map(\.name) == ["cache", "cause"])
        #expect(id.description == #"cache_evictions_total{cache="users",cause="size"}"#)
    }

    @Test func isTheSameWhateverTheOrderLabelsWereGivenIn() {
        var first: [String: String] = [:]
        first["b"] = "2"
        first["a"] = "1"
        var second: [String: String] = [:]
        second["a"] = "1"
        second["b"] = "2"
        #expect(SeriesID(name: "m", labels: first) == SeriesID(name: "m", labels: second))
        #expect(SeriesID(name: "m", labels: first).hashValue == SeriesID(name: "m", labels: second).hashValue)
    }

    @Test func hasNoBracesWithoutLabels() {
        let id = SeriesID(name: "up")
        #expect(id.description == "up")
        #expect(id.labelText == "")
    }

    @Test(
        arguments: [
            (#"plain"#, #"plain"#),
            (#"back\slash"#, #"back\\slash"#),
            (#"say "hi""#, #"say \"hi\""#),
            ("two\nlines", #"two\nlines"#),
            ("crlf\r\nlines", "crlf\r" + #"\nlines"#),
            ("ünïcode ✓", "ünïcode ✓"),
        ]
    )
    func escapesLabelValues(raw: String, escaped: String) {
        #expect(SeriesID.escape(raw) == escaped)
        #expect(SeriesID(name: "m", labels: ["l": raw]).description == "m{l=\"\(escaped)\"}")
    }

    @Test func ordersByNameThenLabels() {
        let ids = [
            SeriesID(name: "b"),
            SeriesID(name: "a", labels: ["x": "2"]),
            SeriesID(name: "a", labels: ["x": "1"]),
            SeriesID(name: "a"),
        ]
        #expect(
            ids.sorted().map(\.description) == [#"a"#, #"a{x="1"}"#, #"a{x="2"}"#, #"b"#]
        )
    }

    @Test func looksUpLabels() {
        let sample = Sample(name: "m", labels: ["cache": "users"], kind: .gauge, value: 1)
        #expect(sample.seriesID.label("cache") == "users")
        #expect(sample.seriesID.label("missing") == nil)
        #expect(sample.seriesID.labelDictionary == ["cache": "users"])
    }

    @Test func removingSettingAndRenamingGiveTheIdentityBuiltFromTheLabels() {
        let id = SeriesID(name: "op_seconds", labels: ["op": "get", "quantile": "0.5", "area": "heap"])
        #expect(id.removingLabel("quantile") == SeriesID(name: "op_seconds", labels: ["op": "get", "area": "heap"]))
        #expect(id.removingLabel("missing") == id)
        #expect(
            id.settingLabel("quantile", to: "0.95")
                == SeriesID(name: "op_seconds", labels: ["op": "get", "quantile": "0.95", "area": "heap"])
        )
        for name in ["a", "b", "p", "z"] {
            #expect(
                id.settingLabel(name, to: "x")
                    == SeriesID(
                        name: "op_seconds",
                        labels: ["op": "get", "quantile": "0.5", "area": "heap", name: "x"]
                    )
            )
        }
        #expect(
            id.renamed(to: "op_seconds_count").description == #"op_seconds_count{area="heap",op="get",quantile="0.5"}"#
        )
    }
}
