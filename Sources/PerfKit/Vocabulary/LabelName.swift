/// The label names of the vocabulary (``MetricName``), defined once for producers and consumers.
public enum LabelName {
    /// The cache a series belongs to.
    public static let cache = "cache"
    /// Why an entry was evicted (``CacheEvictionCause``).
    public static let cause = "cause"
    /// The processor a series belongs to.
    public static let processor = "processor"
    /// How a task or a load ended (``ProcessorOutcome``; `success` / `failure` for loads).
    public static let outcome = "outcome"
    /// The tier of a tiered cache (`memory`, `disk`, `loader`).
    public static let tier = "tier"
    /// The timed operation of `operation_seconds`.
    public static let operation = "op"
    /// The command of a server's per-command series, e.g. `get` on ``MetricName/redisCommandSeconds``.
    public static let command = "cmd"
    /// A PostgreSQL statement's `queryid`, which identifies its normalised text.
    public static let statement = "queryid"
    /// A statement's normalised text (white space collapsed, at most 200 characters).
    public static let query = "query"
    /// A table, `schema.name`.
    public static let table = "table"
    /// A summary's quantile, `0.5` … `1`.
    public static let quantile = "quantile"
    /// A histogram bucket's upper bound.
    public static let bucketBound = "le"
    /// How a quantile was obtained: `buckets` for an estimate from histogram buckets.
    public static let estimate = "estimate"
    /// The CPU mode of `node_cpu_seconds_total`.
    public static let mode = "mode"
    /// The core of a per-core CPU series.
    public static let cpu = "cpu"
    /// The kind of a context switch (`voluntary`, `involuntary`).
    public static let kind = "kind"
    /// Which allocation numbers an agent has.
    public static let source = "source"
    /// The JVM memory area (`heap`, `nonheap`).
    public static let area = "area"
    /// A derived latency series' distribution: the summary's identity.
    public static let distribution = "distribution"
    /// A derived churn series' readout, as the pane names it.
    public static let measure = "measure"
}
