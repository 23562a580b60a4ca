import PerfKit
import Testing

@testable import PerftopCore

@Suite("SampleLimits")
struct SampleLimitsTests {
    static let limits = SampleLimits(
        maximumNameBytes: 8,
        maximumLabels: 2,
        maximumLabelNameBytes: 4,
        maximumLabelValueBytes: 6
    )

    @Test(
        "each limit names the sample and the limit",
        arguments: [
            (Sample(name: "toolong_x", kind: .gauge, value: 1), "sample 'toolong_x': metric name longer than 8 bytes"),
            (
                Sample(name: "m", labels: ["a": "1", "b": "2", "c": "3"], kind: .gauge, value: 1),
                "sample 'm': 3 labels (at most 2)"
            ),
            (
                Sample(name: "m", labels: ["label": "1"], kind: .gauge, value: 1),
                "sample 'm': label name longer than 4 bytes"
            ),
            (
                Sample(name: "m", labels: ["a": "1234567"], kind: .gauge, value: 1),
                "sample 'm': label 'a' longer than 6 bytes"
            ),
        ]
    )
    func violations(sample: Sample, reason: String) {
        #expect(Self.limits.violation(in: [Sample(name: "ok", kind: .gauge, value: 0), sample]) == reason)
    }

    @Test("samples within every limit pass; bytes, not characters, are counted")
    func within() {
        #expect(
            Self.limits.violation(in: [Sample(name: "m", labels: ["a": "123456", "b": ""], kind: .gauge, value: 1)])
                == nil
        )
        #expect(Self.limits.violation(in: [Sample(name: "m", labels: ["a": "ééé1"], kind: .gauge, value: 1)]) != nil)
        #expect(SampleLimits().violation(in: []) == nil)
    }
}
