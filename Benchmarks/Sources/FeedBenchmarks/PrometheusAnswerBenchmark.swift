import BenchmarkSupport
import Foundation
import PerftopCore

/// Decode cost of a Prometheus API answer, as `perftop --prometheus` reads one a round: an instant
/// vector of 7,400 series (a hundred targets of the demo agent's 74), about a megabyte, split into
/// samples by target.
enum PrometheusAnswerBenchmark {
    /// The answer: each series with a name, one or two labels of its own, `instance` and `job`.
    static func answer(targets: Int = 100, seriesPerTarget: Int = 74) -> [UInt8] {
        var text = #"{"status":"success","data":{"resultType":"vector","result":["#
        for target in 0..<targets {
            for series in 0..<seriesPerTarget {
                if target > 0 || series > 0 {
                    text += ","
                }
                text +=
                    #"{"metric":{"__name__":"cache_hits_total","cache":"cache-\#(series)","#
                    + #""instance":"10.0.0.\#(target % 250):\#(9000 + target)","job":"demo"},"#
                    + #""value":[1796473874.841,"\#(series * 1_000 + target)"]}"#
            }
        }
        return Array((text + "]}}").utf8)
    }

    static func run() async {
        print("6. Prometheus API answer: decode and split by target (median of 9 runs)")
        print()
        let answer = Self.answer()
        let targets = (try? PrometheusEngine.samples(answer: answer, status: 200).count) ?? 0
        let seconds = await medianSeconds(repetitions: 9) {
            (try? PrometheusEngine.samples(answer: answer, status: 200).count) ?? 0
        }
        print("  \(answer.count) bytes, 7,400 series, \(targets) targets: \(formatted(seconds * 1_000, digits: 2)) ms")
    }
}
