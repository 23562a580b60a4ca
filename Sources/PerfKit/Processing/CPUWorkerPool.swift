import DequeModule
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A fixed set of dedicated threads for CPU-bound work, so long computations never occupy the threads
/// of Swift's cooperative executor that every task needs to make progress.
///
/// ``run(_:)`` queues a synchronous closure and suspends the calling task (without blocking its thread)
/// until one of ``threadCount`` worker threads has run it. The queue holds at most ``queueCapacity``
/// jobs; a ``run(_:)`` that finds it full throws ``CPUWorkerPoolError/queueFull`` at once. For back
/// pressure instead, call the pool from an ``AsyncProcessor`` whose concurrency is at most
/// ``queueCapacity`` and whose queue policy is ``AsyncProcessor/QueueFullPolicy/wait``.
///
/// A queued job whose caller is cancelled is removed and never runs; a job already running finishes,
/// since synchronous code on a worker thread cannot observe task cancellation. ``shutdown()`` runs the
/// jobs still queued, then stops and joins the threads; a pool released without ``shutdown()`` stops
/// its threads the same way, without waiting for them.
///
/// Cost: one lock, one suspension and one condition-variable signal per job, plus a thread switch
/// each way. Memory: ``threadCount`` threads with the platform's default stack, and O(queued jobs).
public final class CPUWorkerPool: Sendable {
    /// The pool's name, for diagnostics.
    public let name: String
    /// The number of worker threads.
    public let threadCount: Int
    /// The most jobs waiting for a thread.
    public let queueCapacity: Int

    private let queue: WorkerJobQueue
    private let threads: [WorkerThread]
    private let tickets = Atomic<UInt64>(0)

    /// Starts `threadCount` worker threads.
    ///
    /// - Parameters:
    ///   - name: The pool's name, e.g. `tokenize`.
    ///   - threadCount: The number of threads, at least 1. Leave at least one core to the cooperative
    ///     executor: on a 2-core machine, 1.
    ///   - queueCapacity: The most jobs waiting for a thread, at least 1; 1,024 by default.
    public init(name: String, threadCount: Int, queueCapacity: Int = 1_024) {
        precondition(threadCount >= 1, "CPUWorkerPool threadCount must be at least 1, got \(threadCount)")
        precondition(queueCapacity >= 1, "CPUWorkerPool queueCapacity must be at least 1, got \(queueCapacity)")
        self.name = name
        self.threadCount = threadCount
        self.queueCapacity = queueCapacity
        let queue = WorkerJobQueue(capacity: queueCapacity, threadCount: threadCount)
        self.queue = queue
        self.threads = (0..<threadCount).map { _ in
            WorkerThread.start(queue: queue)
        }
    }

    deinit {
        if self.queue.stop() {
            for thread in self.threads {
                thread.detach()
            }
        }
    }

    // MARK: - Running

    /// Runs `work` on one of the pool's threads and returns what it returns or rethrows what it throws.
    ///
    /// Jobs start in the order they were queued. Throws ``CPUWorkerPoolError/queueFull`` if
    /// ``queueCapacity`` jobs already wait, ``CPUWorkerPoolError/shutDown`` after ``shutdown()``, and
    /// `CancellationError` if the calling task is cancelled before a thread takes the job.
    ///
    /// - Parameter work: Synchronous, CPU-bound work. It must not block on async work: it holds a
    ///   worker thread until it returns.
    public func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        let ticket = self.tickets.wrappingAdd(1, ordering: .relaxed).newValue
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                let job = WorkerJob(
                    ticket: ticket,
                    run: { continuation.resume(with: Result { try work() }) },
                    fail: { continuation.resume(throwing: $0) }
                )
                if let refusal = self.queue.enqueue(job, isCancelled: Task.isCancelled) {
                    continuation.resume(throwing: refusal)
                }
            }
        } onCancel: {
            self.queue.remove(ticket: ticket)?.fail(CancellationError())
        }
    }

    /// Queues `work` for one of the pool's threads without waiting for it, and returns whether it
    /// was queued: `false` when the queue is full or the pool shut down, and then `work` never runs.
    /// For work whose caller does not need its result, e.g. a ``Cache``'s background maintenance.
    /// Cost: one lock and one condition-variable signal.
    func submit(_ work: @escaping @Sendable () -> Void) -> Bool {
        let job = WorkerJob(
            ticket: self.tickets.wrappingAdd(1, ordering: .relaxed).newValue,
            run: work,
            fail: { _ in }
        )
        return self.queue.enqueue(job, isCancelled: false) == nil
    }

    // MARK: - Shutting down

    /// Refuses new jobs, lets the threads run the jobs already queued, then waits for every thread to
    /// exit and joins it. Calling it again returns at once.
    ///
    /// Waits by suspending, not by blocking a cooperative thread, except for the final joins of threads
    /// that have already left their loop.
    public func shutdown() async {
        guard self.queue.stop() else {
            return
        }
        await self.queue.waitForExit()
        for thread in self.threads {
            thread.join()
        }
    }

    // MARK: - Reading

    /// The pool's counters, read together under its lock. Cost: O(1).
    public var stats: CPUWorkerPoolStats {
        self.queue.stats
    }
}

// MARK: - Errors and stats

/// Why a ``CPUWorkerPool`` refused a job.
public struct CPUWorkerPoolError: Error, Sendable, Hashable {
    /// What went wrong, with its details; private, so that a new kind of failure is not a breaking
    /// change (the swift-server convention).
    private enum Code: Sendable, Hashable {
        case queueFull
        case shutDown
    }

    /// The kind of failure, to match on without the details: `error.kind == .queueFull`.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private let name: String

        /// See ``CPUWorkerPoolError/queueFull``.
        public static let queueFull = Kind(name: "queueFull")
        /// See ``CPUWorkerPoolError/shutDown``.
        public static let shutDown = Kind(name: "shutDown")

        public var description: String {
            self.name
        }
    }

    private let code: Code

    private init(_ code: Code) {
        self.code = code
    }

    /// ``CPUWorkerPool/queueCapacity`` jobs were already waiting.
    public static let queueFull = Self(.queueFull)

    /// The pool was shut down.
    public static let shutDown = Self(.shutDown)

    /// The kind of failure.
    public var kind: Kind {
        switch self.code {
        case .queueFull: .queueFull
        case .shutDown: .shutDown
        }
    }
}

/// The counters of a ``CPUWorkerPool`` at one moment.
public struct CPUWorkerPoolStats: Sendable, Hashable {
    /// Jobs waiting for a thread.
    public var queueDepth: Int
    /// Threads running a job.
    public var busyThreads: Int
    /// Jobs that ran to the end, returning or throwing.
    public var completed: Int
    /// Jobs refused because the queue was full or the pool shut down.
    public var rejected: Int
    /// Jobs that never ran because their caller was cancelled before a thread took them.
    public var cancelled: Int
}

// MARK: - Queue

/// A job: the closure a worker thread runs, and how to fail it if it never runs.
struct WorkerJob: Sendable {
    var ticket: UInt64
    var run: @Sendable () -> Void
    var fail: @Sendable (any Error) -> Void
}

/// The jobs shared by the async side and the worker threads, behind a pthread mutex with a condition
/// variable that idle threads sleep on.
///
/// `@unchecked Sendable`: every stored property other than the two pthread objects is read and written
/// only while `mutex` is locked, and the pthread objects are themselves made for concurrent use; they
/// live in heap memory that never moves and is freed only in `deinit`, when no thread can hold a
/// reference any more.
final class WorkerJobQueue: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let jobAvailable = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let capacity: Int
    private let threadCount: Int
    private var jobs = Deque<WorkerJob>()
    private var isStopping = false
    private var exitedThreads = 0
    private var exitWaiter: CheckedContinuation<Void, Never>?
    private var busyThreads = 0
    private var completed = 0
    private var rejected = 0
    private var cancelled = 0

    init(capacity: Int, threadCount: Int) {
        self.capacity = capacity
        self.threadCount = threadCount
        pthread_mutex_init(self.mutex, nil)
        pthread_cond_init(self.jobAvailable, nil)
    }

    deinit {
        pthread_cond_destroy(self.jobAvailable)
        pthread_mutex_destroy(self.mutex)
        self.jobAvailable.deallocate()
        self.mutex.deallocate()
    }

    private func locked<R>(_ body: () -> R) -> R {
        pthread_mutex_lock(self.mutex)
        defer { pthread_mutex_unlock(self.mutex) }
        return body()
    }

    /// Queues a job and wakes a thread; or returns why not, with nothing queued.
    func enqueue(_ job: WorkerJob, isCancelled: Bool) -> (any Error)? {
        let refusal: (any Error)? = self.locked {
            if isCancelled {
                self.cancelled += 1
                return CancellationError()
            }
            guard !self.isStopping else {
                self.rejected += 1
                return CPUWorkerPoolError.shutDown
            }
            guard self.jobs.count < self.capacity else {
                self.rejected += 1
                return CPUWorkerPoolError.queueFull
            }
            self.jobs.append(job)
            return nil
        }
        if refusal == nil {
            pthread_cond_signal(self.jobAvailable)
        }
        return refusal
    }

    /// Removes a queued job, counting it as cancelled; `nil` if a thread already took it.
    func remove(ticket: UInt64) -> WorkerJob? {
        self.locked {
            guard let position = self.jobs.firstIndex(where: { $0.ticket == ticket }) else {
                return nil
            }
            self.cancelled += 1
            return self.jobs.remove(at: position)
        }
    }

    /// Marks the queue as stopping and wakes every thread; `false` if it already was.
    func stop() -> Bool {
        let first = self.locked {
            defer { self.isStopping = true }
            return !self.isStopping
        }
        pthread_cond_broadcast(self.jobAvailable)
        return first
    }

    /// Suspends until every thread has left its loop.
    func waitForExit() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let exited = self.locked {
                if self.exitedThreads < self.threadCount {
                    self.exitWaiter = continuation
                }
                return self.exitedThreads == self.threadCount
            }
            if exited {
                continuation.resume()
            }
        }
    }

    /// The body of a worker thread: runs jobs until the queue is stopping and empty.
    func work() {
        pthread_mutex_lock(self.mutex)
        while true {
            while self.jobs.isEmpty, !self.isStopping {
                pthread_cond_wait(self.jobAvailable, self.mutex)
            }
            guard let job = self.jobs.popFirst() else {
                break
            }
            self.busyThreads += 1
            pthread_mutex_unlock(self.mutex)
            job.run()
            pthread_mutex_lock(self.mutex)
            self.busyThreads -= 1
            self.completed += 1
        }
        self.exitedThreads += 1
        let waiter = self.exitedThreads == self.threadCount ? self.exitWaiter : nil
        pthread_mutex_unlock(self.mutex)
        waiter?.resume()
    }

    var stats: CPUWorkerPoolStats {
        self.locked {
            CPUWorkerPoolStats(
                queueDepth: self.jobs.count,
                busyThreads: self.busyThreads,
                completed: self.completed,
                rejected: self.rejected,
                cancelled: self.cancelled
            )
        }
    }
}

// MARK: - Threads

/// One worker thread, started on a ``WorkerJobQueue``, which it keeps alive until it exits.
struct WorkerThread: Sendable {
    private let handle: pthread_t

    static func start(queue: WorkerJobQueue) -> WorkerThread {
        let context = Unmanaged.passRetained(queue).toOpaque()
        var handle = pthread_t()
        let result = pthread_create(
            &handle,
            nil,
            { rawContext in
                Unmanaged<WorkerJobQueue>.fromOpaque(rawContext!).takeRetainedValue().work()
                return nil
            },
            context
        )
        precondition(result == 0, "CPUWorkerPool could not start a thread: error \(result)")
        return WorkerThread(handle: handle)
    }

    func join() {
        pthread_join(self.handle, nil)
    }

    func detach() {
        pthread_detach(self.handle)
    }
}
