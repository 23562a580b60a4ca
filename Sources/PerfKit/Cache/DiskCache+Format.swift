import FoundationEssentials

// MARK: - Entry file format

/// The layout of one entry file: a 24-byte header followed by a JSON payload.
///
/// The header is the magic `PKDC`, the format version (UInt32, little-endian), the payload length
/// (UInt64, little-endian) and the 64-bit FNV-1a hash of the payload (UInt64, little-endian). A file
/// whose magic, version, length or hash does not match is corrupt: truncated, torn or overwritten.
enum DiskCacheFormat {
    static let magic: [UInt8] = Array("PKDC".utf8)
    static let version: UInt32 = 1
    static let headerSize = 24
    static let fileExtension = "entry"
    static let temporaryExtension = "tmp"

    /// The bytes of an entry file holding `payload`.
    static func file(payload: Data) -> Data {
        var file = Data(capacity: Self.headerSize + payload.count)
        file.append(contentsOf: Self.magic)
        Self.appendLittleEndian(Self.version, to: &file)
        Self.appendLittleEndian(UInt64(payload.count), to: &file)
        Self.appendLittleEndian(Self.fnv1a(payload), to: &file)
        file.append(payload)
        return file
    }

    /// The payload of an entry file, or `nil` if the header or the checksum does not match.
    static func payload(from file: Data) -> Data? {
        let bytes = [UInt8](file)
        guard bytes.count >= Self.headerSize, Array(bytes[0..<4]) == Self.magic else {
            return nil
        }
        let version = UInt32(truncatingIfNeeded: Self.readLittleEndian(bytes, at: 4, count: 4))
        let length = Self.readLittleEndian(bytes, at: 8, count: 8)
        let checksum = Self.readLittleEndian(bytes, at: 16, count: 8)
        guard version == Self.version, length == UInt64(bytes.count - Self.headerSize) else {
            return nil
        }
        let payload = Data(bytes[Self.headerSize...])
        return Self.fnv1a(payload) == checksum ? payload : nil
    }

    /// The 64-bit FNV-1a hash of `data`.
    static func fnv1a(_ data: Data) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }

    private static func appendLittleEndian<Integer: FixedWidthInteger>(_ value: Integer, to data: inout Data) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }

    private static func readLittleEndian(_ bytes: [UInt8], at offset: Int, count: Int) -> UInt64 {
        (0..<count).reduce(UInt64(0)) { value, index in
            value | UInt64(bytes[offset + index]) << (8 * UInt64(index))
        }
    }
}

// MARK: - File names

/// The file name of an entry: the lowercase hex of its key's UTF-8 bytes, then `.entry`.
///
/// Hex is injective and safe on every file system; keys longer than ``DiskCache/maximumKeyLength``
/// bytes would exceed the usual 255-byte limit on file names and are refused.
enum DiskCacheFileName {
    static func name(forKey key: String) -> String {
        key.utf8.map { String(zeroPadded: $0, width: 2, radix: 16) }.joined() + "." + DiskCacheFormat.fileExtension
    }

    /// The key whose entry file is called `name`, or `nil` if `name` is not an entry file name.
    static func key(fromName name: String) -> String? {
        let suffix = "." + DiskCacheFormat.fileExtension
        guard name.hasSuffix(suffix) else {
            return nil
        }
        let hex = Array(name.dropLast(suffix.count).utf8)
        guard hex.count.isMultiple(of: 2) else {
            return nil
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.count / 2)
        for index in stride(from: 0, to: hex.count, by: 2) {
            guard let high = Self.nibble(hex[index]), let low = Self.nibble(hex[index + 1]) else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}

// MARK: - Envelope

/// What an entry file's payload holds: the key (checked on read), the source fingerprint and the value.
struct DiskCacheEnvelope<Value: Codable>: Codable {
    var key: String
    var source: DiskCacheSource?
    var value: Value
}
