import PerfKit
import Testing

@Suite struct OperationTimingsTests {
    struct Failed: Error {}

    @Test func measuresSyncAndAsyncBodiesByOperation() async throws {
        let timings = OperationTimings()
        let value = timings.measure("parse") { 42 }
        let asyncValue = try await timings.measure("embed") {
            try await Task.sleep(for: .milliseconds(2))
            return "vector"
        }
        #expect(value == 42)
        #expect(asyncValue == "vector")

        let embed = try #require(timings.histogram(for: "embed")).summary
        #expect(embed.totalCount == 1)
        #expect(embed.totalDuration >= .milliseconds(2))
        #expect(timings.histogram(for: "parse")?.summary.totalCount == 1)
    }

    @Test func aThrowingBodyIsMeasuredAndItsErrorRethrown() {
        let timings = OperationTimings()
        #expect(throws: Failed.self) {
            try timings.measure("load") { throw Failed() }
        }
        #expect(timings.histogram(for: "load")?.summary.totalCount == 1)
    }

    @Test func operationNamesAreBounded() {
        let timings = OperationTimings(maximumOperations: 2)
        for name in ["a", "b", "c", "d", "a"] {
            timings.record(.milliseconds(1), for: name)
        }
        #expect(timings.droppedOperations == 2)
        #expect(timings.histogram(for: "a")?.summary.totalCount == 2)

        let samples = timings.collectSamples()
        #expect(Set(samples.compactMap { $0.labels["op"] }) == ["a", "b"])
        #expect(samples.last?.name == "perfkit_dropped_operations_total")
        #expect(samples.last?.value == 2)
    }

    @Test func reportsOneSummaryPerOperation() {
        let timings = OperationTimings(metricName: "request_seconds")
        timings.record(.milliseconds(5), for: "GET /users")
        let samples = timings.collectSamples().filter { $0.labels["op"] == "GET /users" }
        #expect(samples.map(\.name).contains("request_seconds"))
        #expect(samples.first { $0.name == "request_seconds_count" }?.value == 1)
    }

    @Test func theFreeFunctionRecordsIntoTheDefaultTimings() {
        let before = OperationTimings.default.histogram(for: "free-function-test")?.summary.totalCount ?? 0
        _ = measure("free-function-test") { 1 + 1 }
        #expect(OperationTimings.default.histogram(for: "free-function-test")?.summary.totalCount == before + 1)
    }
}
