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

    @Test func everyTruncationAndByteFlipOfAnAnswerDecodesOrFailsWithAReason() {
        let answer = Array(
            #"""
            {"status":"success","warnings":["w\u00e9\ud83d\ude00"],"data":{"resultType":"matrix","result":[
            {"metric":{"__name__":"cache_hits_total","cache":"us\"ers","instance":"a:1"},"values":[[1.5,"1"],[2,"+Inf"]]},
            {"metric":{},"value":[3e0,"NaN"]}]},"extra":[true,false,null,{"x":[-1.5E+2]}]}
            """#.utf8
        )
        #expect((try? PrometheusResponse.decode(answer, status: 200))?.series.count == 2)
        #expect((try? PrometheusResponse.decode(answer, status: 200))?.warnings == ["wé😀"])
        var mutations = (0..<answer.count).map { Array(answer.prefix($0)) }
        for index in answer.indices {
            for byte: UInt8 in [0x00, 0x22, 0x5C, 0x7B, 0x5D, 0xFF] {
                var mutated = answer
                mutated[index] = byte
                mutations.append(mutated)
            }
        }
        // Nesting far deeper than the reader follows.
        mutations.append(Array(#"{"status":"success","x":"#.utf8) + Array(repeating: UInt8(ascii: "["), count: 100_000))
        for body in mutations {
            do {
                _ = try PrometheusResponse.decode(body, status: 200)
            } catch {
                #expect(!error.reason.isEmpty)
            }
        }
    }
}
