// MARK: - Batch

extension AsyncProcessor {
    /// Submits every element of a sequence and returns one result per element, in input order.
    ///
    /// At most `maxConcurrency` elements of this batch are submitted at once (each still waits for a
    /// processor slot like any submission), so a large batch neither floods the queue nor holds one
    /// task per element. An element's error — from the operation, a timeout, a rejection or a
    /// cancellation — becomes its `.failure` and never stops the batch; cancelling the calling task
    /// makes the elements not yet started fail with `CancellationError`.
    ///
    /// Cost: one child task per element, at most `maxConcurrency` alive at once, plus the cost of
    /// ``submit(priority:timeout:retry:_:)`` for each; memory O(elements) for the results.
    ///
    /// - Parameters:
    ///   - elements: The inputs, read once, in order.
    ///   - maxConcurrency: The most elements of this batch in the processor at once; by default the
    ///     processor's ``maxConcurrency``. Must be greater than zero.
    ///   - priority: The priority of every element's submission.
    ///   - timeout: The timeout of every element's submission.
    ///   - retry: The retry policy of every element's submission.
    ///   - operation: The work for one element.
    /// - Returns: One result per element, in the order of `elements`.
    public func submitBatch<Element: Sendable, T: Sendable>(
        _ elements: some Sequence<Element>,
        maxConcurrency: Int? = nil,
        priority: Priority = .normal,
        timeout: Duration? = nil,
        retry: RetryPolicy = .none,
        _ operation: @escaping @Sendable (Element) async throws -> T
    ) async -> [Result<T, any Error>] {
        let limit = maxConcurrency ?? self.maxConcurrency
        precondition(limit > 0, "submitBatch maxConcurrency must be greater than zero, got \(limit)")
        return await withTaskGroup(of: (Int, Result<T, any Error>).self) { group in
            var results: [Result<T, any Error>?] = []
            var active = 0
            for (index, element) in elements.enumerated() {
                results.append(nil)
                if active == limit, let (finished, result) = await group.next() {
                    results[finished] = result
                    active -= 1
                }
                group.addTask {
                    let result = await Result {
                        try await self.submit(priority: priority, timeout: timeout, retry: retry) {
                            try await operation(element)
                        }
                    }
                    return (index, result)
                }
                active += 1
            }
            for await (finished, result) in group {
                results[finished] = result
            }
            return results.map { $0! }
        }
    }
}

extension Result where Failure == any Error {
    /// The result of an async throwing body.
    fileprivate init(catching body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
