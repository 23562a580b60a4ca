/// A settings file (config or theme) that could not be read: one line naming the file, the line
/// when known, and the problem, e.g. `config.toml:3: interval must be a number of seconds`.
public struct FileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file as the user named it, e.g. `nord.theme` or `/home/me/.config/perftop/config.toml`.
    public var file: String
    /// The 1-based line of the problem, or nil when it concerns the whole file.
    public var line: Int?
    /// What is wrong, e.g. `theme[title]: "#12345" is not a color`.
    public var message: String

    /// Creates an error for `file`, at `line` when known.
    public init(_ message: String, file: String, line: Int? = nil) {
        self.message = message
        self.file = file
        self.line = line
    }

    /// `file:line: message`, or `file: message` without a line.
    public var description: String {
        self.line.map { "\(self.file):\($0): \(self.message)" } ?? "\(self.file): \(self.message)"
    }
}
