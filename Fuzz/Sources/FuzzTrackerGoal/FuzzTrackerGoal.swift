import FuzzSupport
import PerftopCore

/// One cell of a tracker: the input as a goal, a metric selector and a statistic. A goal and a selector that
/// parse must read back from their canonical form (`description`) to an equal value.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = Fuzz.text(data, size)
    if let goal = try? TrackerGoal(parsing: text) {
        let again = try? TrackerGoal(parsing: goal.description)
        let shown = again.map(\.description) ?? "an error"
        Fuzz.check(again == goal, "goal \(goal.description.debugDescription) reads back as \(shown)")
    }
    if let selector = try? MetricSelector(parsing: text) {
        let again = try? MetricSelector(parsing: selector.description)
        Fuzz.check(again == selector, "selector \(selector.description.debugDescription) does not read back")
    }
    _ = try? TrackerStatistic(parsing: text)
    _ = TrackerStatistic(describedBy: text)
    return 0
}
