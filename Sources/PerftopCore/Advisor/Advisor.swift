/// Reads the series store for known bottlenecks and says what to do about each: the rules of
/// ``AdvisorRule`` with the numbers of ``AdvisorThresholds``.
///
/// Every rule works over ``window`` (the window the store retains, by default) with the dashboard's
/// derivations (the same cache, processor and churn views and the same window math the panes use),
/// so a number the advice cites is the number the screen shows for that window. Each ``Advice`` cites
/// the numbers it was derived from and the window's length. A plain value;
/// ``advise(store:sources:)`` costs O(points) of the series the rules read.
public struct Advisor: Sendable, Equatable {
    /// What the rules compare against, and which rules run.
    public var thresholds: AdvisorThresholds
    /// The window every rate, ratio and trend of the rules is taken over.
    public var window: Window

    /// Creates an advisor.
    ///
    /// - Parameters:
    ///   - thresholds: the rules' thresholds; the documented defaults when omitted.
    ///   - window: the window of every rule; the retained window by default.
    public init(thresholds: AdvisorThresholds = AdvisorThresholds(), window: Window = .retained) {
        self.thresholds = thresholds
        self.window = window
    }

    /// The advice for what `store` holds now: most severe first, then by rule (declaration order),
    /// then by subject (source, kind, name).
    ///
    /// A source listed in `sources` as stale or down gets no advice: its series end at its last good
    /// poll, and advice must be about the present. Sources not listed are read as they are.
    ///
    /// - Parameters:
    ///   - store: the collected series.
    ///   - sources: the collector's source states, if known.
    public func advise(store: SeriesStore, sources: [SourceStatus] = []) -> [Advice] {
        Self.ordered(Self.advisedSources(of: store, sources: sources).flatMap { self.advise(source: $0, in: store) })
    }

    /// The advice for one source of `store`, in no particular order. Cost: O(points) of the series
    /// the rules read in that source.
    func advise(source: String, in store: SeriesStore) -> [Advice] {
        let view = SourceView(store: store, source: source, window: self.window, isForDisplay: false)
        return self.cacheAdvice(view) + self.processorAdvice(view) + self.memoryAdvice(view)
            + self.churnAdvice(view) + self.serverAdvice(view)
    }

    /// The sources of `store` that get advice, in the store's order: all but those `sources` lists
    /// as stale or down.
    static func advisedSources(of store: SeriesStore, sources: [SourceStatus]) -> [String] {
        let failing = Set(sources.filter { $0.state != .ok && $0.state != .pending }.map(\.name))
        return store.sources.filter { !failing.contains($0) }
    }

    /// `advice` most severe first, then by rule (declaration order), then by subject (source, kind,
    /// name).
    static func ordered(_ advice: [Advice]) -> [Advice] {
        advice.sorted { lhs, rhs in
            lhs.severity != rhs.severity
                ? lhs.severity > rhs.severity : (lhs.rule, lhs.subject) < (rhs.rule, rhs.subject)
        }
    }

    /// Whether `rule` runs.
    func runs(_ rule: AdvisorRule) -> Bool {
        self.thresholds.enabledRules.contains(rule)
    }
}
