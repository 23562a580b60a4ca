import Synchronization

/// Runs async operations with bounded concurrency, a bounded priority queue, timeouts, retries and
/// graceful shutdown, and reports all of it as samples.
///
/// At most ``maxConcurrency`` operations hold a slot at once. Others wait in a queue of at most
/// ``queueCapacity`` submissions, served by ``Priority`` and first-in, first-out within a priority;
/// when it is full the ``QueueFullPolicy`` decides. Each submission may have a timeout and a
/// ``RetryPolicy``. ``shutdown(mode:)`` stops admitting work and drains or cancels what is left.
/// ``submitBatch(_:maxConcurrency:priority:timeout:retry:_:)`` runs a collection and reports per-item
/// results. CPU-bound work belongs on a ``CPUWorkerPool``, called from the operation.
///
/// Every submission is counted once and ends as exactly one ``ProcessorOutcome``, so at any moment
/// `submitted == queueDepth + inFlight + terminated` (see ``AsyncProcessorStats``). Each operation that
/// starts records one wait time (enqueue to start) and one service time (start to end, retries
/// included) in ``waitTimes`` and ``serviceTimes``. The processor is a ``SampleSource``: registered with
/// a ``MetricsRegistry``, it shows in perftop's queue and latency panes.
///
/// Memory: O(queue depth + blocked submitters + in flight), one small record each, plus two latency
/// histograms (about 20 KiB each).
public final class AsyncProcessor: Sendable {
    /// The processor's name, used as the `processor` label of its samples.
    public let name: String
    /// The most operations holding a slot at once; always greater than zero.
    public let maxConcurrency: Int
    /// The most submissions waiting in the queue, or `nil` for an unbounded queue.
    public let queueCapacity: Int?
    /// What a submission does when the queue is full.
    public let whenFull: QueueFullPolicy
    /// Wait times, from submission to the start of the operation, one record per started operation.
    public let waitTimes: LatencyHistogram
    /// Service times, from the start of the operation to its end (retries and backoff included), one
    /// record per started operation.
    public let serviceTimes: LatencyHistogram

    private let state: Mutex<ProcessorState>
    private let tickets = Atomic<UInt64>(0)
    private let elapsed: @Sendable () -> Duration
    private let sleep: @Sendable (Duration) async throws -> Void

    /// Creates a processor that reads time from `ContinuousClock`.
    ///
    /// - Parameters:
    ///   - name: The processor's name, e.g. `embeddings`; it labels the processor's samples.
    ///   - maxConcurrency: The most operations running at once. Must be greater than zero.
    ///   - queueCapacity: The most submissions waiting for a slot, at least 0; `nil` (the default) for
    ///     no bound.
    ///   - whenFull: What a submission does when the queue is full; ``QueueFullPolicy/wait`` by default.
    public convenience init(
        name: String,
        maxConcurrency: Int,
        queueCapacity: Int? = nil,
        whenFull: QueueFullPolicy = .wait
    ) {
        self.init(
            name: name,
            maxConcurrency: maxConcurrency,
            queueCapacity: queueCapacity,
            whenFull: whenFull,
            clock: ContinuousClock()
        )
    }

    /// Creates a processor that reads time from the given clock, e.g. a manual clock in tests.
    ///
    /// The clock dates submissions (``AsyncProcessorStats/oldestQueuedAge``, wait and service times),
    /// times out operations and sleeps between retries, so a test clock makes all of them
    /// deterministic.
    ///
    /// - Parameters:
    ///   - name: The processor's name, e.g. `embeddings`; it labels the processor's samples.
    ///   - maxConcurrency: The most operations running at once. Must be greater than zero.
    ///   - queueCapacity: The most submissions waiting for a slot, at least 0; `nil` for no bound.
    ///   - whenFull: What a submission does when the queue is full.
    ///   - clock: The clock for dates, timeouts and backoff.
    public init<C: Clock>(
        name: String,
        maxConcurrency: Int,
        queueCapacity: Int? = nil,
        whenFull: QueueFullPolicy = .wait,
        clock: C
    ) where C.Duration == Duration {
        precondition(
            maxConcurrency > 0,
            "AsyncProcessor maxConcurrency must be greater than zero, got \(maxConcurrency)"
        )
        precondition(
            (queueCapacity ?? 0) >= 0,
            "AsyncProcessor queueCapacity must not be negative, got \(queueCapacity ?? 0)"
        )
        self.name = name
        self.maxConcurrency = maxConcurrency
        self.queueCapacity = queueCapacity
        self.whenFull = whenFull
        self.state = Mutex(ProcessorState(limit: maxConcurrency, capacity: queueCapacity, policy: whenFull))
        self.waitTimes = LatencyHistogram(clock: clock)
        self.serviceTimes = LatencyHistogram(clock: clock)
        let origin = clock.now
        self.elapsed = { origin.duration(to: clock.now) }
        self.sleep = { try await clock.sleep(for: $0) }
    }

    // MARK: - Submitting

    /// Waits for a slot, runs `operation` (retrying it as `retry` says, within `timeout`), frees the
    /// slot and returns the result.
    ///
    /// - If the calling task is cancelled before the operation starts, the operation never runs and
    ///   this throws `CancellationError`. Cancelled while it runs, the operation sees the cancellation.
    /// - If the processor is shut down, or the queue is full under ``QueueFullPolicy/reject`` or
    ///   ``QueueFullPolicy/dropOldest``, this throws an ``AsyncProcessorError``.
    /// - If `timeout` passes before the operation ends, the operation is cancelled and this throws
    ///   ``AsyncProcessorError/timedOut(_:)`` once the operation has returned: no operation outlives its
    ///   call, so one that ignores cancellation delays the error and keeps its slot until it returns.
    /// - Otherwise an error thrown by the last attempt is rethrown; it counts as outcome `cancelled` if
    ///   it is a `CancellationError` and `failed` otherwise.
    ///
    /// The slot is held for the whole submission, backoff between retries included. Cost: one lock to
    /// be admitted and one to finish, three clock reads, a task group with one child task (two with a
    /// timeout) and one suspension; waiting costs one more suspension and O(lane length) to leave the
    /// queue on cancellation.
    ///
    /// - Parameters:
    ///   - priority: Where the submission queues; ``Priority/normal`` by default.
    ///   - timeout: The longest the operation may run, from its start, all attempts and backoff
    ///     included; `nil` (the default) for no limit. Time spent queued does not count.
    ///   - retry: When to run the operation again after it fails; ``RetryPolicy/none`` by default.
    ///   - operation: The work; it runs in a child task of the caller's task, with its priority and task
    ///     locals.
    /// - Returns: What `operation` returns.
    public func submit<T: Sendable>(
        priority: Priority = .normal,
        timeout: Duration? = nil,
        retry: RetryPolicy = .none,
        _ operation: @Sendable () async throws -> T
    ) async throws -> T {
        let admission = try await self.admit(priority: priority)
        let (result, reason) = await withoutActuallyEscaping(operation) { operation in
            await self.run(operation, retry: retry, timeout: timeout, signal: admission.signal)
        }
        if reason == .timedOut {
            self.complete(admission, outcome: .timedOut)
            throw AsyncProcessorError.timedOut(timeout ?? .zero)
        }
        return try self.complete(admission, result: result)
    }

    /// Waits for a slot like ``submit(priority:timeout:retry:_:)``, then runs `operation` in the calling
    /// task, frees the slot and returns the result; counted, timed and reported like a submission.
    ///
    /// For work that bounds its own time (an I/O call with its own deadline, say): there is no timeout,
    /// no retry and no child task, so a submission costs no more suspensions than waiting for a slot,
    /// where ``submit(priority:timeout:retry:_:)`` costs a child task and one or two suspensions more.
    /// Running in the caller's task, the operation sees the caller's cancellation, and
    /// ``shutdown(mode:)`` in ``ShutdownMode/cancel`` mode does not cancel it (a task can only be
    /// cancelled by its owner): a shutdown waits for it to return.
    ///
    /// - Parameters:
    ///   - priority: Where the submission queues; ``Priority/normal`` by default.
    ///   - operation: The work.
    /// - Returns: What `operation` returns.
    public func submitInline<T>(
        priority: Priority = .normal,
        _ operation: () async throws -> T
    ) async throws -> T {
        let admission = try await self.admit(priority: priority)
        let result: Result<T, any Error>
        do {
            result = .success(try await operation())
        } catch {
            result = .failure(error)
        }
        return try self.complete(admission, result: result)
    }

    /// A submission that holds a slot.
    private struct Admission {
        let ticket: UInt64
        let signal: RunSignal
        let startedAt: Duration
    }

    /// Waits for a slot and records the wait.
    private func admit(priority: Priority) async throws -> Admission {
        let ticket = self.tickets.wrappingAdd(1, ordering: .relaxed).newValue
        let signal = RunSignal()
        let enqueuedAt = self.elapsed()
        try await self.acquireSlot(ticket: ticket, priority: priority, enqueuedAt: enqueuedAt, signal: signal)
        let startedAt = self.elapsed()
        self.waitTimes.record(startedAt - enqueuedAt)
        return Admission(ticket: ticket, signal: signal, startedAt: startedAt)
    }

    /// Records the service time and the outcome of `result`, frees the slot and returns the result.
    private func complete<T>(_ admission: Admission, result: Result<T, any Error>) throws -> T {
        switch result {
        case .success:
            self.complete(admission, outcome: .succeeded)
        case .failure(let error):
            self.complete(admission, outcome: error is CancellationError ? .cancelled : .failed)
        }
        return try result.get()
    }

    /// Records the service time and `outcome`, and frees the slot.
    private func complete(_ admission: Admission, outcome: ProcessorOutcome) {
        self.serviceTimes.record(self.elapsed() - admission.startedAt)
        self.finish(ticket: admission.ticket, outcome: outcome)
    }

    // MARK: - Shutting down

    /// Whether ``shutdown(mode:)`` has been called; from then on every submission is rejected.
    public var isShutDown: Bool {
        self.state.withLockedValue { $0.isShutDown }
    }

    /// Stops admitting submissions, then drains or cancels the remaining work and returns once no
    /// submission is queued, blocked or running, or once the calling task is cancelled.
    ///
    /// New submissions throw ``AsyncProcessorError/shutDown`` and count as `rejected`. Calling it again is
    /// harmless, and a later ``ShutdownMode/cancel`` cancels what an earlier ``ShutdownMode/drain`` left.
    /// Cost: one lock, plus O(queue) with ``ShutdownMode/cancel``; how long it waits depends on the work.
    ///
    /// - Parameter mode: Whether to let queued and running work finish (``ShutdownMode/drain``, the
    ///   default) or cancel it (``ShutdownMode/cancel``).
    public func shutdown(mode: ShutdownMode = .drain) async {
        let (waiters, running) = self.state.withLockedValue { $0.shutDown(mode: mode) }
        for waiter in waiters {
            waiter.continuation.resume(throwing: AsyncProcessorError.shutDown)
        }
        for signal in running {
            signal.fire(.shutDown)
        }
        let ticket = self.tickets.wrappingAdd(1, ordering: .relaxed).newValue
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let waits = self.state.withLockedValue { state in
                    !Task.isCancelled && state.awaitIdle(ticket: ticket, continuation: continuation)
                }
                if !waits {
                    continuation.resume()
                }
            }
        } onCancel: {
            self.state.withLockedValue { $0.stopAwaitingIdle(ticket: ticket) }?.resume()
        }
    }

    // MARK: - Reading

    /// All counters and gauges of the processor, read together under one lock. Cost: O(1).
    public var stats: AsyncProcessorStats {
        let now = self.elapsed()
        return self.state.withLockedValue { $0.stats(now: now) }
    }

    // MARK: - Slots

    /// Returns once the caller holds a slot, or throws without holding one.
    ///
    /// The submission is counted in the same critical section that queues it, gives it a slot or ends
    /// it, so ``stats`` always adds up.
    private func acquireSlot(
        ticket: UInt64,
        priority: Priority,
        enqueuedAt: Duration,
        signal: RunSignal
    ) async throws {
        let fast = self.state.withLockedValue {
            $0.admitWithoutQueueing(ticket: ticket, signal: signal, isCancelled: Task.isCancelled)
        }
        switch fast {
        case .runs: return
        case .ended(let error): throw error
        case .needsQueue, .waits, .waitsAfterDropping: break
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let waiter = ProcessorWaiter(
                    ticket: ticket,
                    priority: priority,
                    enqueuedAt: enqueuedAt,
                    signal: signal,
                    continuation: continuation
                )
                // Checked again under the lock: a cancellation whose handler already ran found nothing
                // to remove, and slots freed since the fast path found no waiter to hand to.
                let admission = self.state.withLockedValue { $0.admit(waiter, isCancelled: Task.isCancelled) }
                switch admission {
                case .runs: continuation.resume()
                case .ended(let error): continuation.resume(throwing: error)
                case .waits, .needsQueue: break
                case .waitsAfterDropping(let victim):
                    victim.continuation.resume(throwing: AsyncProcessorError.dropped)
                }
            }
        } onCancel: {
            let waiter = self.state.withLockedValue { $0.cancelWaiter(ticket: ticket, priority: priority) }
            waiter?.continuation.resume(throwing: CancellationError())
        }
        // A waiter cancelled just after being handed a slot still holds it: pass it on, run nothing.
        if Task.isCancelled {
            self.finish(ticket: ticket, outcome: .cancelled)
            throw CancellationError()
        }
    }

    /// Records the outcome of a submission that held a slot and frees the slot, handing it to the best
    /// waiter and waking shutdown callers if the processor is now idle.
    private func finish(ticket: UInt64, outcome: ProcessorOutcome) {
        let release = self.state.withLockedValue { $0.finish(ticket: ticket, outcome: outcome) }
        release.next?.continuation.resume()
        for waiter in release.idle {
            waiter.resume()
        }
    }

    // MARK: - Running

    /// Runs the attempts in a child task and returns their result once the child has ended, with the
    /// reason the run stopped: the operation finished, the timeout expired or a shutdown cancelled it.
    private func run<T: Sendable>(
        _ operation: @escaping @Sendable () async throws -> T,
        retry: RetryPolicy,
        timeout: Duration?,
        signal: RunSignal
    ) async -> (Result<T, any Error>, RunSignal.Reason) {
        await withTaskGroup(of: Result<T, any Error>?.self) { group in
            group.addTask {
                defer { signal.fire(.finished) }
                return await self.attempts(operation, retry: retry)
            }
            if let timeout {
                group.addTask {
                    if (try? await self.sleep(timeout)) != nil {
                        signal.fire(.timedOut)
                    }
                    return nil
                }
            }
            let reason = await signal.wait()
            // Stops the timer; and the operation too, unless it already returned.
            group.cancelAll()
            var result: Result<T, any Error> = .failure(CancellationError())
            for await case let child? in group {
                result = child
            }
            return (result, reason)
        }
    }

    /// Runs `operation` until it succeeds, fails with an error `retry` does not retry, or runs out of
    /// attempts, sleeping the policy's backoff on the processor's clock between attempts.
    private func attempts<T: Sendable>(
        _ operation: @Sendable () async throws -> T,
        retry: RetryPolicy
    ) async -> Result<T, any Error> {
        var attempt = 1
        while true {
            do {
                return .success(try await operation())
            } catch {
                guard retry.allowsRetry(after: error, attempt: attempt) else {
                    return .failure(error)
                }
                let backoff = retry.backoff(beforeRetry: attempt, unitRandom: Double.random(in: 0..<1))
                do {
                    try await self.sleep(backoff)
                } catch {
                    return .failure(error)
                }
                self.state.withLockedValue { $0.countRetry() }
                attempt += 1
            }
        }
    }
}
