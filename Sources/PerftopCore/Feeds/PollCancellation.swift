import NIOCore
import PerfKit
import Synchronization

/// The promise a poll's steps complete on an event loop while its task waits, which cancelling
/// the task fails: how ``HTTP1Client`` and ``AgentFeed`` stop a request in flight.
///
/// A promise noted after the cancellation is refused, so the caller fails it at once. Failing a
/// promise that was already completed does nothing (NIO keeps the first result), so a late
/// cancellation is harmless. Cost: one lock per request and per cancellation.
final class PollCancellation<Value: Sendable>: Sendable {
    private let state = Mutex<(cancelled: Bool, promise: EventLoopPromise<Value>?)>((false, nil))

    /// Notes `promise` as the one in flight; `false` once cancelled, and then the caller fails it.
    func begin(_ promise: EventLoopPromise<Value>) -> Bool {
        self.state.withLockedValue { state in
            state.promise = promise
            return !state.cancelled
        }
    }

    /// Fails the promise in flight, and refuses any noted later, with `CancellationError`.
    func cancel() {
        let promise = self.state.withLockedValue { state in
            state.cancelled = true
            return state.promise
        }
        promise?.fail(CancellationError())
    }
}
