/// An optimization tracker: a list of targets, read from and written to a TOML file (docs/tracker.md).
///
/// Build one by hand, read one with ``init(toml:fileName:)`` or ``read(path:)``, or import a markdown
/// document with ``MarkdownTrackerImporter``. ``tomlText()`` writes it so that reading the text back gives
/// an equal tracker.
public struct Tracker: Sendable, Equatable {
    /// The at-risk margin when the file sets none: 10% of the threshold.
    public static let defaultMargin = 0.1

    /// The document's title, e.g. the markdown `#` heading it was imported from.
    public var title: String?
    /// How close to its threshold a met goal is "at risk", as a fraction of the threshold; nil for
    /// ``defaultMargin``.
    public var margin: Double?
    /// The targets, in file order.
    public var targets: [TrackerTarget]

    /// Creates a tracker.
    public init(title: String? = nil, margin: Double? = nil, targets: [TrackerTarget] = []) {
        self.title = title
        self.margin = margin
        self.targets = targets
    }

    /// The margin the evaluator uses: ``margin`` or ``defaultMargin``.
    public var effectiveMargin: Double {
        self.margin ?? Self.defaultMargin
    }
}
