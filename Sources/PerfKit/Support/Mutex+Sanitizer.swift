import Synchronization

#if PERFKIT_THREAD_SANITIZER
    import CPerfKitSystem
#endif

extension Mutex where Value: ~Copyable {
    #if PERFKIT_THREAD_SANITIZER
        /// `withLock(_:)` as ThreadSanitizer can follow it (see the other build's documentation).
        @inline(never) @usableFromInline
        package borrowing func withLockedValue<Result: ~Copyable, E: Error>(
            _ body: (inout sending Value) throws(E) -> sending Result
        ) throws(E) -> sending Result {
            try self.withLock { (value: inout sending Value) throws(E) -> sending Result in
                let address = withUnsafeMutablePointer(to: &value) { UnsafeMutableRawPointer($0) }
                perfkit_sanitizer_acquire(address)
                defer { perfkit_sanitizer_release(address) }
                return try body(&value)
            }
        }
    #else
        /// Runs `body` with exclusive access to the value: exactly `withLock(_:)`, the one way PerfKit
        /// and perftop take a `Mutex`, so that a ThreadSanitizer build can follow every lock.
        ///
        /// On Linux a contended `withLock` takes the lock in the kernel (a priority-inheritance futex)
        /// where ThreadSanitizer cannot see it, so the sanitizer reports every contended critical
        /// section as a race. Built with `-D PERFKIT_THREAD_SANITIZER` (`scripts/sanitize thread`),
        /// this tells the sanitizer about the lock (`__tsan_acquire` / `__tsan_release` on the value's
        /// address) and is never inlined, so that the one access it cannot annotate, `withLock`'s own
        /// access to the value, is suppressed by its name (`race_top:withLockedValue` in
        /// `scripts/tsan.supp`) while every access made by `body` is still checked. Cost: that of
        /// `withLock`.
        @inlinable
        package borrowing func withLockedValue<Result: ~Copyable, E: Error>(
            _ body: (inout sending Value) throws(E) -> sending Result
        ) throws(E) -> sending Result {
            try self.withLock(body)
        }
    #endif
}
