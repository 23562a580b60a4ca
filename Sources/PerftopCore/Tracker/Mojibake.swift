import PerfKit

/// Repairs text whose UTF-8 bytes were once decoded as Windows-1252 or Latin-1, as tracker documents
/// carry it: `ðŸ”´` back to 🔴, `âœ…` to ✅, `Ã©` to é.
///
/// Every run of non-ASCII characters that Windows-1252 (or, for its five undefined bytes and the C1
/// controls, Latin-1) can encode is turned back into those bytes; wherever the bytes form a valid UTF-8
/// sequence of two to four bytes that encodes a character ``SafeText`` calls safe, the sequence replaces
/// the characters it came from. Everything else is kept as it is, so correct text, ASCII and characters outside Windows-1252 pass through unchanged.
public enum Mojibake {
    /// `text` with every mis-decoded UTF-8 sequence repaired. Cost: linear in the text's length.
    public static func repair(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value >= 0x80 }) else {
            return text
        }
        var output = String.UnicodeScalarView()
        var run: [(scalar: Unicode.Scalar, byte: UInt8)] = []
        for scalar in text.unicodeScalars {
            if scalar.value >= 0x80, let byte = Self.byte(for: scalar) {
                run.append((scalar, byte))
            } else {
                Self.flush(&run, into: &output)
                output.append(scalar)
            }
        }
        Self.flush(&run, into: &output)
        return String(output)
    }

    /// Appends `run`, with its valid UTF-8 sequences decoded, and empties it.
    private static func flush(
        _ run: inout [(scalar: Unicode.Scalar, byte: UInt8)],
        into output: inout String.UnicodeScalarView
    ) {
        var index = 0
        while index < run.count {
            if let (scalar, length) = Self.decode(run, at: index) {
                output.append(scalar)
                index += length
            } else {
                output.append(run[index].scalar)
                index += 1
            }
        }
        run.removeAll(keepingCapacity: true)
    }

    /// The scalar encoded by the UTF-8 sequence starting at `index`, and its length, if one starts there.
    private static func decode(_ run: [(scalar: Unicode.Scalar, byte: UInt8)], at index: Int) -> (Unicode.Scalar, Int)?
    {
        let lead = run[index].byte
        let length: Int
        var value: UInt32
        switch lead {
        case 0xC2...0xDF: (length, value) = (2, UInt32(lead & 0x1F))
        case 0xE0...0xEF: (length, value) = (3, UInt32(lead & 0x0F))
        case 0xF0...0xF4: (length, value) = (4, UInt32(lead & 0x07))
        default: return nil
        }
        guard index + length <= run.count else {
            return nil
        }
        for offset in 1..<length {
            let byte = run[index + offset].byte
            guard byte & 0xC0 == 0x80 else {
                return nil
            }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        let minimum: UInt32 = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000
        // A repair never produces a control or format character ("Â›" would be the C1 control CSI).
        guard value >= minimum, let scalar = Unicode.Scalar(value), !SafeText.isUnsafe(scalar) else {
            return nil
        }
        return (scalar, length)
    }

    /// The byte Windows-1252 encodes `scalar` as, with Latin-1 for U+0080…U+00FF; nil for other characters.
    private static func byte(for scalar: Unicode.Scalar) -> UInt8? {
        if scalar.value <= 0xFF {
            return UInt8(scalar.value)
        }
        return Self.windows1252[scalar.value]
    }

    /// The characters Windows-1252 puts at 0x80…0x9F where Latin-1 has control characters.
    private static let windows1252: [UInt32: UInt8] = [
        0x20AC: 0x80, 0x201A: 0x82, 0x0192: 0x83, 0x201E: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87,
        0x02C6: 0x88, 0x2030: 0x89, 0x0160: 0x8A, 0x2039: 0x8B, 0x0152: 0x8C, 0x017D: 0x8E, 0x2018: 0x91,
        0x2019: 0x92, 0x201C: 0x93, 0x201D: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02DC: 0x98,
        0x2122: 0x99, 0x0161: 0x9A, 0x203A: 0x9B, 0x0153: 0x9C, 0x017E: 0x9E, 0x0178: 0x9F,
    ]
}
