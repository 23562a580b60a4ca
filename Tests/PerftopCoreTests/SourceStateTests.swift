import Testing

@testable import PerftopCore

@Suite("SourceState")
struct SourceStateTests {
    @Test(
        "states read as one line",
        arguments: [
            (SourceState.pending, "pending"),
            (.ok, "ok"),
            (.stale(age: 12.4, reason: "timeout after 1.0s"), "stale 12s: timeout after 1.0s"),
            (.down(reason: "HTTP 503"), "down: HTTP 503"),
        ]
    )
    func description(state: SourceState, expected: String) {
        #expect(state.description == expected)
    }

    @Test("a status adds truncation and backoff notes")
    func statusNotes() {
        let status = SourceStatus(
            name: "agent:/tmp/a.sock",
            state: .down(reason: "connection refused"),
            truncatedToSeries: 10_000,
            retryIn: 7.2
        )
        #expect(status.description == "down: connection refused, truncated to 10000 series, retry in 8s")
        #expect(SourceStatus(name: "proc", state: .ok).description == "ok")
    }
}
