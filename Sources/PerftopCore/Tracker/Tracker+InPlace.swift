import FoundationEssentials

// MARK: - Writing changes in place

extension Tracker {
    /// `text`, the tracker file this tracker was read from, with the binding (`metric`, `statistic`)
    /// and the baseline (`baseline`, `baseline_captured`) of every target where `updated` differs
    /// set in place, in that target's `[[target]]` table; every other line (comments, order,
    /// spacing, other keys) is kept. A key the file lacks goes where ``tomlText()`` would put it:
    /// after the keys that come before it in that order.
    ///
    /// Returns nil when the file does not hold its targets as `[[target]]` tables in order (e.g. an
    /// inline array), or when `updated` removes one of these keys, so the caller can fall back to
    /// ``tomlText()``. Cost: O(lines × changed targets).
    public func text(_ text: String, updatedTo updated: Tracker) -> String? {
        guard updated.targets.count == self.targets.count else {
            return nil
        }
        var editor = TOMLLineEditor(text)
        for (index, (old, new)) in zip(self.targets, updated.targets).enumerated() {
            var changes: [(key: String, value: String?)] = []
            if old.metric != new.metric {
                changes.append(("metric", new.metric.map { TOMLWriting.string($0.description) }))
            }
            if old.statistic != new.statistic {
                changes.append(("statistic", new.statistic.map { TOMLWriting.string($0.rawValue) }))
            }
            if old.baseline != new.baseline {
                changes.append(("baseline", new.baseline.map { TOMLWriting.number($0.value) }))
                if let captured = new.baseline?.captured {
                    changes.append(("baseline_captured", TOMLWriting.dateTime(captured)))
                }
            }
            guard !changes.isEmpty else {
                continue
            }
            // The order tomlText() writes this target's keys in.
            let order = TOMLWriting.lines(for: new).compactMap { TOMLLineEditor.key(of: $0) }
            let table = TOMLLineEditor.Table.arrayElement(name: "target", index: index)
            for (key, value) in changes {
                let preceding = Set(order.prefix { $0 != key })
                guard let value, editor.set(key, to: value, in: table, after: preceding) else {
                    return nil
                }
            }
        }
        return editor.text
    }

    /// Writes the changes of `updated` (bindings and baselines) into the tracker file at `path`,
    /// which holds this tracker: in place, keeping the file's comments and layout
    /// (``text(_:updatedTo:)``), or, when the file's layout does not allow that, as the whole of
    /// `updated` (``tomlText()``). The file is replaced atomically and keeps its mode
    /// (``ExportSink``).
    ///
    /// The file must still hold this tracker: one edited since it was read (a target added, say,
    /// which would put the change into another target's table) is left alone.
    ///
    /// - Throws: ``TrackerError`` when the file cannot be read again or no longer holds this tracker,
    ///   ``ExportError`` when it cannot be written; the file is then unchanged.
    public func writeChanges(_ updated: Tracker, toFile path: String) throws {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw TrackerError("cannot read the file", file: path)
        }
        guard (try? Tracker(toml: text, fileName: path)) == self else {
            throw TrackerError("changed since perftop read it; not overwritten", file: path)
        }
        let sink = try ExportSink.file(atPath: path)
        try sink.write(self.text(text, updatedTo: updated) ?? updated.tomlText())
        try sink.finish()
    }
}
