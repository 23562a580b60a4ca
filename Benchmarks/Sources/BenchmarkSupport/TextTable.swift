/// A plain-text table with aligned columns: the first column left-aligned, the others right-aligned.
public struct TextTable {
    /// The column titles.
    public let header: [String]
    private var rows: [[String]] = []

    /// Creates an empty table with the given column titles.
    public init(_ header: [String]) {
        self.header = header
    }

    /// Adds a row, one cell per column.
    public mutating func append(_ row: [String]) {
        precondition(row.count == self.header.count, "A row needs one cell per column")
        self.rows.append(row)
    }

    /// The table as lines of text, with a rule under the header.
    public func render() -> String {
        let all = [self.header] + self.rows
        let widths = self.header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated()
                .map { column, cell in
                    let padding = String(repeating: " ", count: widths[column] - cell.count)
                    return column == 0 ? cell + padding : padding + cell
                }
                .joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(self.header), rule] + self.rows.map(line)).joined(separator: "\n")
    }
}

/// Formats `value` with `digits` digits after the decimal point.
public func formatted(_ value: Double, digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits {
        scale *= 10
    }
    let rounded = (abs(value) * scale).rounded()
    let whole = Int(rounded / scale)
    let fraction = Int(rounded) - whole * Int(scale)
    let sign = value < 0 && rounded != 0 ? "-" : ""
    guard digits > 0 else {
        return "\(sign)\(whole)"
    }
    let fractionText = String(fraction)
    return "\(sign)\(whole)." + String(repeating: "0", count: digits - fractionText.count) + fractionText
}

/// Keeps `value` alive so that the optimizer cannot drop the work that produced it.
@inline(never)
public func blackHole(_ value: Int) {
    withExtendedLifetime(value) {}
}
