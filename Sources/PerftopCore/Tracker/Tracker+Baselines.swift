import FoundationEssentials

// MARK: - Writing baselines in place

extension Tracker {
    /// `text`, the tracker file this tracker was read from, with the `baseline` and
    /// `baseline_captured` of every target whose baseline differs in `updated` set in place, in that
    /// target's `[[target]]` table; every other line (comments, order, spacing, other keys) is kept.
    ///
    /// Returns nil when the file does not hold its targets as `[[target]]` tables in order (e.g. an
    /// inline array), so the caller can fall back to ``tomlText()``. Cost: O(lines × changed targets).
    public func text(_ text: String, withBaselinesOf updated: Tracker) -> String? {
        guard updated.targets.count == self.targets.count else {
            return nil
        }
        var editor = TOMLLineEditor(text)
        for (index, (old, new)) in zip(self.targets, updated.targets).enumerated() where old.baseline != new.baseline {
            let table = TOMLLineEditor.Table.arrayElement(name: "target", index: index)
            guard let baseline = new.baseline, editor.set("baseline", to: TOMLWriting.number(baseline.value), in: table)
            else {
                return nil
            }
            if let captured = baseline.captured {
                editor.set("baseline_captured", to: TOMLWriting.dateTime(captured), in: table)
            }
        }
        return editor.text
    }

    /// Writes the baselines of `updated` into the tracker file at `path`, which holds this tracker:
    /// in place, keeping the file's comments and layout (``text(_:withBaselinesOf:)``), or, when the
    /// file's layout does not allow that, as the whole of `updated` (``tomlText()``). The file is
    /// replaced atomically and keeps its mode (``ExportSink``).
    ///
    /// - Throws: ``TrackerError`` when the file cannot be read again, ``ExportError`` when it cannot
    ///   be written; the file is then unchanged.
    public func writeBaselines(of updated: Tracker, toFile path: String) throws {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw TrackerError("cannot read the file", file: path)
        }
        let sink = try ExportSink.file(atPath: path)
        try sink.write(self.text(text, withBaselinesOf: updated) ?? updated.tomlText())
        try sink.finish()
    }
}
