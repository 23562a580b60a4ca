import PerfKit

/// Bounds on the text of one sample, checked on every poll before anything is stored: a source
/// that sends a longer name, more labels or a longer label fails its poll with the reason, as a
/// Prometheus scrape over `label_limit` or `label_value_length_limit` fails, rather than having its
/// text cut (which could merge two series) or silently dropped.
///
/// With the store's cap on series and identity bytes per source, these keep what one source can
/// make perftop hold bounded whatever it sends.
public struct SampleLimits: Sendable, Hashable {
    /// The longest metric name, in UTF-8 bytes.
    public var maximumNameBytes: Int
    /// The most labels one sample may carry.
    public var maximumLabels: Int
    /// The longest label name, in UTF-8 bytes.
    public var maximumLabelNameBytes: Int
    /// The longest label value, in UTF-8 bytes.
    public var maximumLabelValueBytes: Int

    /// Creates limits; the defaults are far above what exporters send (node_exporter's longest
    /// label values are mount points and versions of a few dozen bytes).
    /// - Parameters:
    ///   - maximumNameBytes: 256 by default.
    ///   - maximumLabels: 32 by default.
    ///   - maximumLabelNameBytes: 128 by default.
    ///   - maximumLabelValueBytes: 1,024 by default.
    public init(
        maximumNameBytes: Int = 256,
        maximumLabels: Int = 32,
        maximumLabelNameBytes: Int = 128,
        maximumLabelValueBytes: Int = 1_024
    ) {
        self.maximumNameBytes = maximumNameBytes
        self.maximumLabels = maximumLabels
        self.maximumLabelNameBytes = maximumLabelNameBytes
        self.maximumLabelValueBytes = maximumLabelValueBytes
    }

    /// Why the first sample of `samples` over a limit is over it, or nil when all are within.
    ///
    /// The reason names the sample by the start of its metric name, e.g.
    /// `sample 'http_requests_total': label 'path' longer than 1024 bytes`. Cost: O(bytes of names
    /// and labels).
    public func violation(in samples: [Sample]) -> String? {
        for sample in samples {
            // Built only for a reason: most polls have none, and a hundred agents send 7,400 samples a second.
            var name: String { "sample '\(sample.name.prefix(64))'" }
            if sample.name.utf8.count > self.maximumNameBytes {
                return "\(name): metric name longer than \(self.maximumNameBytes) bytes"
            }
            if sample.labels.count > self.maximumLabels {
                return "\(name): \(sample.labels.count) labels (at most \(self.maximumLabels))"
            }
            for (label, value) in sample.labels {
                if label.utf8.count > self.maximumLabelNameBytes {
                    return "\(name): label name longer than \(self.maximumLabelNameBytes) bytes"
                }
                if value.utf8.count > self.maximumLabelValueBytes {
                    return "\(name): label '\(label.prefix(64))' longer than \(self.maximumLabelValueBytes) bytes"
                }
            }
        }
        return nil
    }
}
