import PerftopCore
import Testing

@testable import PerftopTUI

/// `picker.type(…)` as a free function, so `#expect` can evaluate it (it cannot call mutating members).
private func type(_ picker: inout TrackerPickerState, _ character: Character) -> Bool {
    picker.type(character)
}

/// `picker.deleteBackward()` as a free function, for `#expect`.
private func deleteBackward(_ picker: inout TrackerPickerState) -> Bool {
    picker.deleteBackward()
}

/// `picker.choose()` as a free function, for `#expect`.
private func choose(_ picker: inout TrackerPickerState) -> TrackerBinding? {
    picker.choose()
}

/// `picker.back()` as a free function, for `#expect`.
private func back(_ picker: inout TrackerPickerState) -> Bool {
    picker.back()
}

@Suite("TrackerPickerState")
struct TrackerPickerStateTests {
    static let candidates = [
        BindableSeries(selector: MetricSelector(name: "cache_hits_total"), kind: .counter),
        BindableSeries(
            selector: MetricSelector(name: "operation_seconds", matchers: [.init(label: "op", value: "users.lookup")]),
            kind: .summary
        ),
        BindableSeries(selector: MetricSelector(name: "processor_queue_depth"), kind: .gauge),
    ]

    @Test("opens ranked by the target's name; the selection moves within the list")
    func ranking() {
        var picker = TrackerPickerState(targetIndex: 4, targetName: "Users Lookup", candidates: Self.candidates)
        #expect(picker.listed.first?.selector.name == "operation_seconds")
        #expect(picker.listed.count == 3)
        picker.move(by: -5)
        #expect(picker.selected == 0)
        picker.move(by: Int.max)
        #expect(picker.selected == 2)
    }

    @Test("typing filters and starts at the top; control characters and an overlong filter are refused")
    func typing() {
        var picker = TrackerPickerState(targetIndex: 0, targetName: "x", candidates: Self.candidates)
        picker.move(by: 2)
        #expect(type(&picker, "q"))
        #expect(type(&picker, "u"))
        #expect(picker.selected == 0)
        #expect(picker.listed.map(\.selector.name) == ["processor_queue_depth"])
        #expect(!type(&picker, "\u{1B}"))
        #expect(deleteBackward(&picker))
        #expect(deleteBackward(&picker))
        #expect(!deleteBackward(&picker))
        for _ in 0..<TrackerPickerState.maximumFilterLength {
            _ = picker.type("a")
        }
        #expect(!type(&picker, "a"))
    }

    @Test("Enter chooses a series, then binds the selected statistic; with nothing listed it does nothing")
    func choosing() {
        var picker = TrackerPickerState(targetIndex: 7, targetName: "cache hits", candidates: Self.candidates)
        #expect(choose(&picker) == nil)
        #expect(picker.statistics == [.hitRatio, .rate, .current])
        #expect(!type(&picker, "z"), "no typing while a statistic is chosen")
        picker.move(by: 1)
        let binding = picker.choose()
        #expect(
            binding
                == TrackerBinding(
                    targetIndex: 7,
                    targetName: "cache hits",
                    metric: MetricSelector(name: "cache_hits_total"),
                    statistic: .rate
                )
        )
        #expect(back(&picker))
        #expect(picker.selected == 0)
        #expect(!back(&picker))

        var empty = TrackerPickerState(targetIndex: 0, targetName: "x", candidates: [])
        #expect(choose(&empty) == nil)
        #expect(empty.chosen == nil)
    }
}
