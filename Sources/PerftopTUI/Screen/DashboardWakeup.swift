#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Wakes the dashboard's UI thread from another thread, e.g. when the collector has a new model or a
/// termination signal arrived, so that the thread can sleep until then instead of waking every
/// 100 ms to look.
///
/// A non-blocking pipe: ``signal()`` writes a byte (dropped when the pipe is full, which already
/// means "wake up"); the screen waits on ``descriptor`` beside the terminal's input, and the
/// dashboard empties it with ``drain()`` before it looks again. ``CursesTerminal`` has its resize,
/// suspend and continue handlers write to it too. Safe to use from any thread.
public final class DashboardWakeup: Sendable {
    /// The read end, which becomes readable after ``signal()``.
    public let descriptor: Int32
    /// The write end, which ``signal()`` and the terminal's signal handlers (a resize, Ctrl-Z,
    /// a continue) write to.
    let writeEnd: Int32

    /// Creates the pipe; nil when the process has no descriptors left, in which case the dashboard
    /// looks every 100 ms as before.
    public init?() {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            return nil
        }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        self.descriptor = ends[0]
        self.writeEnd = ends[1]
    }

    deinit {
        close(self.descriptor)
        close(self.writeEnd)
    }

    /// Makes ``descriptor`` readable until the next ``drain()``. Cost: one `write`.
    public func signal() {
        var byte: UInt8 = 1
        _ = write(self.writeEnd, &byte, 1)
    }

    /// Reads every pending wake-up.
    public func drain() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(self.descriptor, &buffer, buffer.count) > 0 {}
    }
}
