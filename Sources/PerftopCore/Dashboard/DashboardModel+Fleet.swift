/// The fleet pane's questions of a model: one source alone, for drilling into it.
extension DashboardModel {
    /// The model as if `source` were the only source: its status, caches, processors, latency
    /// distributions, process, churn, statements, fleet row and advice. The machine's own figures
    /// (memory, CPU) and the tracker stay as they are: they are not one source's. Cost: O(rows).
    public func only(source: String) -> DashboardModel {
        var model = self
        model.sources = self.sources.filter { $0.name == source }
        model.caches = self.caches.filter { $0.source == source }
        model.processors = self.processors.filter { $0.source == source }
        model.latencies = self.latencies.filter { $0.source == source }
        model.memory.processes = self.memory.processes.filter { $0.source == source }
        model.churn = self.churn.filter { $0.source == source }
        model.queries = self.queries.filter { $0.source == source }
        model.fleet = self.fleet.filter { $0.source == source }
        model.advice = self.advice.filter { $0.subject.source == source }
        return model
    }
}
