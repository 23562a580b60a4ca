import PerfKit

// MARK: - [[pane]] and [layout]

extension ConfigReader {
    /// The longest custom pane name.
    static let maximumPaneNameLength = 32

    /// The `[[pane]]` tables that are valid, in order, and the names of those left out; each one left
    /// out adds a warning.
    func customPanes(
        _ value: TOMLValue,
        warnings: inout [ConfigError]
    ) -> (panes: [PaneDefinition], rejected: Set<String>) {
        guard let array = value.array else {
            warnings.append(self.error("pane must be [[pane]] tables", key: "pane"))
            return ([], [])
        }
        var panes: [PaneDefinition] = []
        var rejected: Set<String> = []
        for (index, element) in array.enumerated() {
            do throws(ConfigError) {
                guard let table = element.table else {
                    throw self.error("pane must be [[pane]] tables", key: "pane")
                }
                let pane = try self.customPane(table, index: index)
                guard !panes.contains(where: { $0.name == pane.name }) else {
                    throw self.paneError("a pane named \"\(pane.name)\" is defined twice", key: "name", pane: index)
                }
                panes.append(pane)
            } catch {
                warnings.append(error)
                if let name = element.table?["name"]?.string {
                    rejected.insert(name)
                }
            }
        }
        // A later valid pane of a name some other table was refused under is kept.
        return (panes, rejected.subtracting(panes.map(\.name)))
    }

    private func customPane(_ table: TOMLTable, index: Int) throws(ConfigError) -> PaneDefinition {
        for key in table.keys where !PerftopConfig.paneKeys.contains(key) {
            throw self.paneError(
                "unknown key '\(key)' in [[pane]] (known: \(PerftopConfig.paneKeys.joined(separator: ", ")))",
                key: key,
                pane: index
            )
        }
        guard let name = table["name"]?.string else {
            throw self.paneError("a [[pane]] needs a name = \"…\" (letters, digits, - and _)", key: "name", pane: index)
        }
        guard Self.isPaneName(name) else {
            throw self.paneError(
                "pane name \(SafeText.quoted(name)) must be 1 to \(Self.maximumPaneNameLength) letters, digits, - and _",
                key: "name",
                pane: index
            )
        }
        guard DashboardSettings.PaneKind(rawValue: name) == nil else {
            throw self.paneError("pane name \"\(name)\" is a built-in pane's", key: "name", pane: index)
        }
        let title = try self.paneString(table, "title", pane: index)
        guard let metricText = try self.paneString(table, "metric", pane: index) else {
            throw self.paneError("pane \"\(name)\" needs a metric = 'selector'", key: "name", pane: index)
        }
        let metric = try self.parsed("metric", pane: index) { try MetricSelector(parsing: metricText) }
        let statistic = try self.paneStatistic(table, metric: metric, pane: index)
        var definition = PaneDefinition(name: name, title: title, metric: metric, statistic: statistic)
        if let unitText = try self.paneString(table, "unit", pane: index) {
            guard let unit = TrackerUnit(symbol: unitText) else {
                let units = TrackerUnit.allCases.map(\.rawValue).filter { !$0.isEmpty }.joined(separator: ", ")
                throw self.paneError(
                    "unknown unit \(SafeText.quoted(unitText)) (expected \(units))",
                    key: "unit",
                    pane: index
                )
            }
            definition.unit = unit
        }
        if let kindText = try self.paneString(table, "kind", pane: index) {
            guard let kind = PaneDefinition.Kind(rawValue: kindText) else {
                let kinds = PaneDefinition.Kind.allCases.map(\.rawValue).joined(separator: ", ")
                throw self.paneError(
                    "unknown kind \(SafeText.quoted(kindText)) (expected \(kinds))",
                    key: "kind",
                    pane: index
                )
            }
            definition.kind = kind
        }
        if let goalText = try self.paneString(table, "goal", pane: index) {
            let goal = try self.parsed("goal", pane: index) { try TrackerGoal(parsing: goalText) }
            guard goal.threshold != nil else {
                throw self.paneError(
                    "a pane's goal must be absolute, such as \"< 50ms\" (a pane has no baseline)",
                    key: "goal",
                    pane: index
                )
            }
            definition.goal = goal
        }
        if let value = table["max"] {
            let amount = value.double ?? value.int.map(Double.init)
            guard let amount, amount.isFinite, amount > 0 else {
                throw self.paneError("max must be a number above 0, in the pane's unit", key: "max", pane: index)
            }
            definition.maximum = definition.displayUnit.baseValue(amount)
        }
        if let value = table["trigger"] {
            guard let trigger = value.table else {
                throw self.paneError("trigger must be a table, e.g. { bell = true }", key: "trigger", pane: index)
            }
            guard definition.goal != nil else {
                throw self.paneError(
                    "pane \"\(name)\" has a trigger but no goal to judge it by",
                    key: "trigger",
                    pane: index
                )
            }
            do {
                definition.trigger = try Trigger(toml: trigger)
            } catch {
                throw self.paneError("trigger: \(error.message)", key: "trigger", pane: index)
            }
        }
        return definition
    }

    /// `statistic` (default `current`) and `ratio_of`, which goes with `statistic = "ratio"` only.
    private func paneStatistic(
        _ table: TOMLTable,
        metric: MetricSelector,
        pane index: Int
    ) throws(ConfigError) -> PaneDefinition.Statistic {
        let text = try self.paneString(table, "statistic", pane: index)
        let denominator = try self.paneString(table, "ratio_of", pane: index)
        if text?.trimmingWhitespace().lowercased() == "ratio" {
            guard let denominator else {
                throw self.paneError(
                    "statistic \"ratio\" needs ratio_of = 'selector', the denominator",
                    key: "statistic",
                    pane: index
                )
            }
            return .ratio(of: try self.parsed("ratio_of", pane: index) { try MetricSelector(parsing: denominator) })
        }
        guard denominator == nil else {
            throw self.paneError("ratio_of goes with statistic = \"ratio\"", key: "ratio_of", pane: index)
        }
        guard let text else {
            return .reading(.current)
        }
        let statistic = try self.parsed("statistic", pane: index) { try TrackerStatistic(parsing: text) }
        guard statistic.canRead(metric) else {
            throw self.paneError(
                "hit ratio reads a hits counter, e.g. cache_hits_total{cache=\"users\"}, not \(metric.name)",
                key: "metric",
                pane: index
            )
        }
        return .reading(statistic)
    }

    /// Whether `name` can name a custom pane: 1 to ``maximumPaneNameLength`` ASCII letters, digits, `-`, `_`.
    static func isPaneName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= Self.maximumPaneNameLength
            && name.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_")
            }
    }

    /// The `[layout]` table; a bad key is left out with a warning.
    func layout(
        _ value: TOMLValue,
        customNames: [String],
        warnings: inout [ConfigError]
    ) -> PerftopConfig.Layout? {
        guard let table = value.table else {
            warnings.append(self.error("layout must be a table: [layout]", key: "layout"))
            return nil
        }
        var layout = PerftopConfig.Layout()
        for key in table.keys where !PerftopConfig.layoutKeys.contains(key) {
            warnings.append(
                self.error(
                    "unknown key '\(key)' in [layout] (known: \(PerftopConfig.layoutKeys.joined(separator: ", ")))",
                    key: key,
                    table: "layout"
                )
            )
        }
        if let value = table["columns"] {
            let maximum = DashboardSettings.PaneLayout.maximumColumns
            if let columns = value.int, (1...maximum).contains(columns) {
                layout.columns = columns
            } else {
                warnings.append(
                    self.error(
                        "layout.columns must be a whole number from 1 to \(maximum), got \(value)",
                        key: "columns",
                        table: "layout"
                    )
                )
            }
        }
        if let value = table["sizes"] {
            layout.sizes = self.sizes(value, customNames: customNames, warnings: &warnings)
        }
        return layout
    }

    /// `sizes = { caches = 2 }` or `[layout.sizes]`: each known pane's size; a bad entry is left out.
    private func sizes(
        _ value: TOMLValue,
        customNames: [String],
        warnings: inout [ConfigError]
    ) -> [DashboardSettings.PaneID: Int] {
        guard let table = value.table else {
            warnings.append(
                self.error("layout.sizes must be a table of pane = size", key: "sizes", table: "layout")
            )
            return [:]
        }
        let maximum = DashboardSettings.PaneLayout.maximumWeight
        var sizes: [DashboardSettings.PaneID: Int] = [:]
        for key in table.keys {
            let line = self.line(of: key, table: "layout.sizes") ?? self.line(of: "sizes", table: "layout")
            guard let pane = DashboardSettings.PaneID(name: key, customNames: customNames) else {
                warnings.append(
                    ConfigError("layout.sizes: unknown pane \(SafeText.quoted(key))", file: self.fileName, line: line)
                )
                continue
            }
            guard let size = table[key]?.int, (1...maximum).contains(size) else {
                warnings.append(
                    ConfigError(
                        "layout.sizes.\(key) must be a whole number from 1 to \(maximum)",
                        file: self.fileName,
                        line: line
                    )
                )
                continue
            }
            sizes[pane] = size
        }
        return sizes
    }

    // MARK: Locating

    /// An error at the line where `key` is set in the `index`-th `[[pane]]` table (its header's line
    /// when the key is not there).
    func paneError(_ message: String, key: String, pane index: Int) -> ConfigError {
        ConfigError(message, file: self.fileName, line: self.line(of: key, pane: index))
    }

    /// The 1-based line where `key` is set in the `index`-th `[[pane]]` table, else that table's header line.
    func line(of key: String, pane index: Int) -> Int? {
        var headers = 0
        var header: Int?
        for (number, rawLine) in self.lines.enumerated() {
            let line = rawLine.trimmingWhitespace()
            if line.hasPrefix("[") {
                guard header == nil else {
                    break
                }
                if line.filter({ !$0.isWhitespace }).hasPrefix("[[pane]]") {
                    if headers == index {
                        header = number + 1
                    }
                    headers += 1
                }
                continue
            }
            if header != nil, TOMLLineEditor.key(of: line) == key {
                return number + 1
            }
        }
        return header
    }

    /// A string of a `[[pane]]` table, or nil when the key is absent.
    private func paneString(_ table: TOMLTable, _ key: String, pane index: Int) throws(ConfigError) -> String? {
        guard let value = table[key] else {
            return nil
        }
        guard let text = value.string else {
            throw self.paneError("\(key) must be a string", key: key, pane: index)
        }
        return text
    }

    /// The value `parse` makes, its error (a ``TrackerError``, e.g. `column 3: …`) as a config error at the
    /// key's line.
    private func parsed<T>(_ key: String, pane index: Int, _ parse: () throws -> T) throws(ConfigError) -> T {
        do {
            return try parse()
        } catch {
            throw self.paneError("\(key): \(error)", key: key, pane: index)
        }
    }
}
