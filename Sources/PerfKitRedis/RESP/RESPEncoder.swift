/// Writes Redis commands as RESP arrays of bulk strings, the form every Redis server accepts.
public enum RESPEncoder {
    /// `commands` one after the other (a pipeline), each an array of binary-safe arguments.
    ///
    /// Cost: one pass over the arguments; the result holds them plus about 16 bytes per argument.
    public static func encode(_ commands: [[[UInt8]]]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(commands.reduce(0) { $0 + $1.reduce(16) { $0 + $1.count + 16 } })
        for command in commands {
            Self.append("*", command.count, to: &bytes)
            for argument in command {
                Self.append("$", argument.count, to: &bytes)
                bytes += argument
                bytes += [0x0D, 0x0A]
            }
        }
        return bytes
    }

    /// `commands` of text arguments (UTF-8), one after the other.
    public static func encode(_ commands: [[String]]) -> [UInt8] {
        Self.encode(commands.map { $0.map { Array($0.utf8) } })
    }

    private static func append(_ marker: Character, _ count: Int, to bytes: inout [UInt8]) {
        bytes += Array("\(marker)\(count)\r\n".utf8)
    }
}
