import Dispatch
import PerfKit
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// SIGINT, SIGTERM and SIGHUP turned from "kill the process" into events perftop handles: the
/// dashboard polls ``receivedSignal`` each tick, a headless command awaits ``next()``.
///
/// Installing (first use of ``shared``) sets the signals to `SIG_IGN` and observes them with
/// dispatch sources on a private queue; the UI thread is blocked in `getch`, so a main-queue source
/// would never run. There is exactly one observer per process and it is never removed: on Linux,
/// libdispatch replaces a signal's disposition with its own handler when the first source for it
/// is created and never installs it again, so a second observer would be deaf. Create the observer
/// before anything that a signal should be able to interrupt, e.g. before opening a socket.
public final class TerminationSignals: Sendable {
    /// The signals observed.
    public static let observed: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// The process's observer, installed on first use.
    public static let shared = TerminationSignals()

    private let mailbox = SignalMailbox()
    /// The dispatch sources, kept alive for the life of the process; never read.
    private let sources: Mutex<[any DispatchSourceSignal]>

    private init() {
        let queue = DispatchQueue(label: "perftop.termination-signals")
        let mailbox = self.mailbox
        var sources: [any DispatchSourceSignal] = []
        for number in Self.observed {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { @Sendable in mailbox.deliver(number) }
            source.resume()
            sources.append(source)
        }
        self.sources = Mutex(sources)
    }

    /// The signal received since the last ``reset()``, or nil. Cheap: one lock.
    public var receivedSignal: Int32? {
        self.mailbox.state.withLockedValue { $0.received }
    }

    /// Forgets a signal received before now.
    public func reset() {
        self.mailbox.state.withLockedValue { $0.received = nil }
    }

    /// Suspends until a termination signal arrives (or returns at once if one arrived since the
    /// last ``reset()``), and returns its number.
    public func next() async -> Int32 {
        await withCheckedContinuation { continuation in
            let received = self.mailbox.state.withLockedValue { state -> Int32? in
                if let received = state.received {
                    return received
                }
                state.waiters.append(continuation)
                return nil
            }
            if let received {
                continuation.resume(returning: received)
            }
        }
    }

}

/// The last signal received and the tasks waiting for one; written by the dispatch queue.
private final class SignalMailbox: Sendable {
    struct State {
        var received: Int32?
        var waiters: [CheckedContinuation<Int32, Never>] = []
    }

    let state = Mutex(State())

    func deliver(_ number: Int32) {
        let waiters = self.state.withLockedValue { state in
            state.received = number
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        waiters.forEach { $0.resume(returning: number) }
    }
}
