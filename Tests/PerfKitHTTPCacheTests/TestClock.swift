import Synchronization

/// A clock that moves only when a test advances it, so freshness is tested without waiting.
final class TestClock: Clock {
    struct Instant: InstantProtocol {
        var offset: Duration

        func advanced(by duration: Duration) -> Instant {
            Instant(offset: self.offset + duration)
        }

        func duration(to other: Instant) -> Duration {
            other.offset - self.offset
        }

        static func < (lhs: Instant, rhs: Instant) -> Bool {
            lhs.offset < rhs.offset
        }
    }

    private let current = Mutex(Instant(offset: .zero))

    var now: Instant {
        self.current.withLockedValue { $0 }
    }

    var minimumResolution: Duration {
        .nanoseconds(1)
    }

    /// Moves the clock forward.
    func advance(by duration: Duration) {
        self.current.withLockedValue { $0 = $0.advanced(by: duration) }
    }

    /// Sleeping on this clock moves it to the deadline at once.
    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        self.current.withLockedValue { $0 = max($0, deadline) }
    }
}
