extension PerfKitMetricsFactory {
    /// The Prometheus metric name for a swift-metrics label.
    ///
    /// Every character other than an ASCII letter, digit, `_` or `:` becomes one `_` (so `http.requests`
    /// becomes `http_requests` and `café` becomes `caf_`), a leading digit gets a `_` in front, and an
    /// empty label becomes `_`. Case is kept, and nothing is appended: a counter is reported under its
    /// label as is, `_total` or not. Labels that differ only in replaced characters name the same series.
    /// Cost: one pass over the label; no allocation when it is already a valid name.
    public static func metricName(forLabel label: String) -> String {
        PrometheusName.sanitized(label, allowsColon: true)
    }

    /// The Prometheus metric name of a swift-metrics timer: ``metricName(forLabel:)`` with `_seconds`
    /// appended unless it already ends in `_seconds`, because timers are always reported in seconds.
    ///
    /// `http_request_duration_seconds` stays as it is; `hb_request_duration` becomes
    /// `hb_request_duration_seconds`, and `latency_ms` becomes `latency_ms_seconds`.
    public static func timerName(forLabel label: String) -> String {
        let name = Self.metricName(forLabel: label)
        return name.hasSuffix(MetricName.secondsSuffix) ? name : name + MetricName.secondsSuffix
    }

    /// The Prometheus label name for a swift-metrics dimension name.
    ///
    /// As ``metricName(forLabel:)`` but `:` is replaced too, and a leading `__` (reserved by
    /// Prometheus) is shortened to one `_`. Dimension values are kept as they are; they are escaped
    /// when written as Prometheus text. When two dimensions map to the same label name, the last wins.
    public static func labelName(forDimension name: String) -> String {
        let sanitized = PrometheusName.sanitized(name, allowsColon: false)
        guard sanitized.hasPrefix("__") else {
            return sanitized
        }
        return "_" + sanitized.drop { $0 == "_" }
    }

    /// The labels of a series made with `dimensions`; for a timer, a `quantile` dimension is renamed
    /// `exported_quantile` so it cannot clash with the summary's own `quantile` label.
    static func labels(forDimensions dimensions: [(String, String)], isTimer: Bool) -> [String: String] {
        var labels: [String: String] = [:]
        labels.reserveCapacity(dimensions.count)
        for (name, value) in dimensions {
            var labelName = Self.labelName(forDimension: name)
            if isTimer, labelName == LabelName.quantile {
                labelName = "exported_quantile"
            }
            labels[labelName] = value
        }
        return labels
    }
}
