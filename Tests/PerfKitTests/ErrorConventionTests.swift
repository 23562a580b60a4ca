import PerfKit
import Testing

/// PerfKit's public errors are structs around a private enum (the swift-server convention): callers
/// compare them, or match their kind, and a new kind of failure does not break them.
@Suite struct ErrorConventionTests {
    @Test func errorsCompareByKindAndDetails() {
        #expect(AsyncProcessorError.timedOut(.seconds(1)) == .timedOut(.seconds(1)))
        #expect(AsyncProcessorError.timedOut(.seconds(1)) != .timedOut(.seconds(2)))
        #expect(AsyncProcessorError.timedOut(.seconds(2)).kind == .timedOut)
        #expect(AsyncProcessorError.queueFull.kind != AsyncProcessorError.dropped.kind)
        #expect(CPUWorkerPoolError.shutDown == .shutDown)
        #expect(DiskCacheError.entryTooLarge(bytes: 10, maxBytes: 5).kind == .entryTooLarge)
        #expect(SnapshotDecodingError.unsupportedVersion(9).kind == .unsupportedVersion)
        #expect(ProcessStatisticsError.noSuchProcess(pid: 42).kind.description == "noSuchProcess")
    }

    @Test func descriptionsStillNameTheProblem() {
        #expect("\(SnapshotDecodingError.wrongSchema("other"))".contains("other"))
        #expect("\(ProcessStatisticsError.noSuchProcess(pid: 42))".contains("42"))
    }

    @Test func aThrownErrorIsMatchedByItsKind() async {
        let processor = AsyncProcessor(name: "errors", maxConcurrency: 1)
        await processor.shutdown()
        do {
            _ = try await processor.submit { 1 }
            Issue.record("a shut-down processor ran an operation")
        } catch let error as AsyncProcessorError where error.kind == .shutDown {
            #expect(error == .shutDown)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
