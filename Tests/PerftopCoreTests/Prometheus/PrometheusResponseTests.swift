import PerfKit
import Testing

@testable import PerftopCore

/// Prometheus API answers decoded: vectors and matrices with their points, Prometheus' own errors
/// and warnings, and bodies that are not API answers.
struct PrometheusResponseTests {
    private static func decode(_ text: String, status: Int = 200) throws(FeedError) -> PrometheusResponse {
        try PrometheusResponse.decode(Array(text.utf8), status: status)
    }

    @Test func aVectorGivesOnePointPerSeriesWithItsLabels() throws {
        let response = try Self.decode(
            """
            {"status":"success","data":{"resultType":"vector","result":[
              {"metric":{"__name__":"cache_hits_total","cache":"users","instance":"a:1","job":"demo"},
               "value":[1700000000.5,"42"]},
              {"metric":{"__name__":"cache_entries","instance":"b:2"},"value":[1700000000.5,"NaN"]}]}}
            """
        )
        #expect(response.series.count == 2)
        #expect(response.series[0].labels["cache"] == "users")
        #expect(response.series[0].points.map(\.time) == [1_700_000_000.5])
        #expect(response.series[0].points.map(\.value) == [42])
        #expect(response.series[1].points.first?.value.isNaN == true)
        #expect(response.warnings.isEmpty)
    }

    @Test func aMatrixKeepsEveryPointInOrderAndInfinities() throws {
        let response = try Self.decode(
            """
            {"status":"success","data":{"resultType":"matrix","result":[
              {"metric":{"__name__":"x","instance":"a"},"values":[[1,"1"],[2,"+Inf"],[3,"-Inf"]]}]},
             "warnings":["query hit the sample limit"]}
            """
        )
        #expect(response.series[0].points.map(\.time) == [1, 2, 3])
        #expect(response.series[0].points.map(\.value) == [1, .infinity, -.infinity])
        #expect(response.warnings == ["query hit the sample limit"])
    }

    @Test(arguments: [
        (
            400, #"{"status":"error","errorType":"bad_data","error":"parse error at char 3: unexpected }"}"#,
            "prometheus 400 bad_data: parse error at char 3: unexpected }"
        ),
        (
            422, #"{"status":"error","errorType":"execution","error":"query timed out"}"#,
            "prometheus 422 execution: query timed out"
        ),
        (
            503, #"{"status":"error","errorType":"unavailable","error":"not ready"}"#,
            "prometheus 503 unavailable: not ready"
        ),
        (503, "Service Unavailable", "not a Prometheus API answer (HTTP 503)"),
        (
            200, #"{"status":"success","data":{"resultType":"scalar","result":[1,"2"]}}"#,
            "query gives a scalar, not series"
        ),
        (200, "<html>not the API</html>", "not a Prometheus API answer (HTTP 200)"),
        (
            200, #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"x"]}]}}"#,
            "not a Prometheus API answer (HTTP 200)"
        ),
    ])
    func errorsNameTheStatusTypeAndMessage(status: Int, body: String, reason: String) {
        #expect(throws: FeedError(reason)) {
            try Self.decode(body, status: status)
        }
    }
}
