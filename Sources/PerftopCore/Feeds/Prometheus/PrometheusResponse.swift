import PerfKit

/// A Prometheus HTTP API answer to `/api/v1/query` or `/api/v1/query_range`, decoded.
///
/// Only what perftop reads: the series of an instant vector or a range matrix, each with its labels
/// and points, and the `warnings`. An error answer (`"status": "error"`, with HTTP 400, 422 or 503)
/// becomes a ``FeedError`` naming the status, the error type and Prometheus' own message, e.g.
/// `prometheus 400 bad_data: parse error at char 5: unexpected "}"`.
///
/// The JSON is read by PerfKit's `SnapshotReader` (the agents' snapshot reader, shared): Foundation's
/// `JSONDecoder` took 45 ms of each round at a hundred targets (about a megabyte of JSON).
struct PrometheusResponse: Sendable {
    /// One series of the result: its labels (`__name__` among them) and its points, oldest first.
    struct Series: Sendable {
        var labels: [String: String]
        var points: [Point]
    }

    /// One value of a series at a time, in seconds since 1970.
    struct Point: Sendable {
        var time: Double
        var value: Double
    }

    /// The series, in the order Prometheus gave them.
    var series: [Series]
    /// The warnings Prometheus gave with a successful answer, e.g. about a query that hit a limit.
    var warnings: [String]

    /// Decodes the body of an answer with HTTP status `status`.
    ///
    /// Cost: one pass over the body, nested at most 32 deep, then one over the values read.
    ///
    /// - Throws: ``FeedError``: Prometheus' error (`prometheus 422 execution: …`), a result that is
    ///   not a vector or matrix (`query gives a scalar, not series`), or a body that is not the API's
    ///   JSON (`not a Prometheus API answer (HTTP 200)`).
    static func decode(_ body: [UInt8], status: Int) throws(FeedError) -> PrometheusResponse {
        let notAnAnswer = FeedError("not a Prometheus API answer (HTTP \(status))")
        guard case .object(let top)? = try? SnapshotReader.value(of: body),
            let answer = Self.string(SnapshotReader.member("status", of: top))
        else {
            throw notAnAnswer
        }
        guard answer == "success", (200..<300).contains(status) else {
            let kind = Self.string(SnapshotReader.member("errorType", of: top)).map { " " + $0 } ?? ""
            let message = Self.string(SnapshotReader.member("error", of: top)).map { ": " + $0 } ?? ""
            throw FeedError("prometheus \(status)\(kind)\(message)")
        }
        var warnings: [String] = []
        if case .array(let items)? = SnapshotReader.member("warnings", of: top) {
            warnings = items.compactMap { Self.string($0) }
        }
        guard case .object(let data)? = SnapshotReader.member("data", of: top),
            let resultType = Self.string(SnapshotReader.member("resultType", of: data))
        else {
            throw FeedError("prometheus answer without data")
        }
        guard resultType == "vector" || resultType == "matrix" else {
            throw FeedError("query gives a \(resultType), not series")
        }
        guard case .array(let results)? = SnapshotReader.member("result", of: data) else {
            throw notAnAnswer
        }
        var series: [Series] = []
        series.reserveCapacity(results.count)
        for result in results {
            guard case .object(let members) = result,
                case .object(let metric)? = SnapshotReader.member("metric", of: members)
            else {
                throw notAnAnswer
            }
            var labels: [String: String] = [:]
            for (name, value) in metric {
                guard let value = Self.string(value) else {
                    throw notAnAnswer
                }
                labels[name] = value
            }
            var points: [Point] = []
            if let value = SnapshotReader.member("value", of: members) {
                points.append(try Self.point(value, else: notAnAnswer))
            }
            if case .array(let values)? = SnapshotReader.member("values", of: members) {
                for value in values {
                    points.append(try Self.point(value, else: notAnAnswer))
                }
            }
            series.append(Series(labels: labels, points: points))
        }
        return PrometheusResponse(series: series, warnings: warnings)
    }

    /// The text of a string value.
    private static func string(_ value: SnapshotReader.Value?) -> String? {
        guard case .string(let text)? = value else {
            return nil
        }
        return text
    }

    /// `[1700000000.5, "42"]`; the value may be `NaN`, `+Inf` or `-Inf`.
    private static func point(_ value: SnapshotReader.Value, else failure: FeedError) throws(FeedError) -> Point {
        guard case .array(let pair) = value, pair.count == 2, case .number(let timeText) = pair[0],
            let time = Double(timeText), let text = Self.string(pair[1]), let number = Double(text)
        else {
            throw failure
        }
        return Point(time: time, value: number)
    }
}
