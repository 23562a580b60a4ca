/// A tracker file, goal, selector or table that could not be read; the description is one line.
///
/// Errors in a file name the file and line (`tracker.toml:12: expected ...`); errors in a selector
/// or goal on its own name the column (`column 8: expected '=' after label name`).
public struct TrackerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, without the location.
    public let message: String
    /// The file's name, when the error is in a file.
    public let file: String?
    /// The 1-based line in ``file``, when known.
    public let line: Int?
    /// The 1-based column in the text that was parsed, when known.
    public let column: Int?

    /// Creates an error.
    public init(_ message: String, file: String? = nil, line: Int? = nil, column: Int? = nil) {
        self.message = message
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line: message`, `file: message`, `column N: message` or the message alone.
    public var description: String {
        var prefix = ""
        if let file = self.file {
            prefix = file + (self.line.map { ":\($0)" } ?? "") + ": "
        }
        if let column = self.column {
            prefix += "column \(column): "
        }
        return prefix + self.message
    }

    /// The same error placed in `file` at `line`, with `context` (e.g. `goal`) before the message.
    func located(file: String, line: Int?, context: String) -> TrackerError {
        TrackerError(
            "\(context): " + (self.column.map { "column \($0): " } ?? "") + self.message,
            file: file,
            line: line
        )
    }
}
