import PerfKit

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

extension FileError {
    /// The largest settings file perftop reads (config, tracker, theme, markdown import): 4 MiB, far above any real one.
    public static let maximumFileBytes = 4 << 20

    /// The text of the settings file at `path` (config, tracker, theme, markdown import), read with a size cap, so a path naming a device or a
    /// pipe that never ends fails instead of filling memory.
    ///
    /// - Throws: `PATH: ` then `unreadable`, `PATH: larger than 4194304 bytes` or `PATH: not UTF-8 text`.
    package static func text(
        ofFileAt path: String,
        unreadable: String = "cannot read the file"
    ) throws(FileError) -> String {
        let bytes: [UInt8]
        do {
            bytes = try ProcFile.bytes(path, limit: Self.maximumFileBytes)
        } catch {
            switch error {
            case .tooLarge(_, let limit): throw FileError("larger than \(limit) bytes", file: path)
            case .system: throw FileError(unreadable, file: path)
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw FileError("not UTF-8 text", file: path)
        }
        return text
    }
}
