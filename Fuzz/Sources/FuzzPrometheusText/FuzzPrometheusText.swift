import FuzzSupport
import PerfKit
import PerftopCore

/// Prometheus and OpenMetrics text, as an HTTP endpoint serves it, through ``PrometheusTextParser`` with a small
/// budget (so its limits are reached), then the histogram quantile estimates the HTTP feed adds.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let budget = PrometheusTextParser.Budget(maximumSamples: 500, maximumLineLength: 1_024)
    let samples: [Sample]
    do {
        samples = try PrometheusTextParser(budget: budget).parse(Array(Fuzz.bytes(data, size)))
    } catch {
        Fuzz.check(error.line >= 1, "error on line \(error.line)")
        Fuzz.check(Fuzz.isOneSafeLine(error.reason, maximumLength: 200), "reason \(error.reason.debugDescription)")
        return 0
    }
    Fuzz.check(samples.count <= budget.maximumSamples, "\(samples.count) samples over the budget")
    for sample in samples {
        Fuzz.check(Fuzz.isMetricName(sample.name), "metric name \(sample.name.debugDescription)")
        for label in sample.labels.keys {
            Fuzz.check(Fuzz.isLabelName(label), "label name \(label.debugDescription)")
        }
    }
    for estimate in HistogramQuantiles.estimates(from: samples) {
        Fuzz.check(Fuzz.isMetricName(estimate.name), "estimate name \(estimate.name.debugDescription)")
    }
    return 0
}
