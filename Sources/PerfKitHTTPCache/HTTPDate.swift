/// Reads HTTP dates in the preferred IMF-fixdate format, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`
/// (RFC 9110 §5.6.7), as seconds since 1970-01-01 UTC.
///
/// The obsolete RFC 850 and asctime formats are not read: a date in them counts as invalid, which for
/// `Expires` means already expired, so such a response is never served without revalidation.
public enum HTTPDate {
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    private static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    /// The seconds since the epoch of an IMF-fixdate, or `nil` when `text` is not one. Cost: O(1).
    public static func secondsSinceEpoch(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count == 29,
            Self.weekdays.contains(Self.string(bytes, 0..<3)),
            Self.string(bytes, 3..<5) == ", ",
            bytes[7] == UInt8(ascii: " "),
            bytes[11] == UInt8(ascii: " "),
            bytes[16] == UInt8(ascii: " "),
            bytes[19] == UInt8(ascii: ":"),
            bytes[22] == UInt8(ascii: ":"),
            Self.string(bytes, 25..<29) == " GMT",
            let day = Self.number(bytes, 5..<7),
            let month = Self.months.firstIndex(of: Self.string(bytes, 8..<11)),
            let year = Self.number(bytes, 12..<16),
            let hour = Self.number(bytes, 17..<19),
            let minute = Self.number(bytes, 20..<22),
            let second = Self.number(bytes, 23..<25),
            (1...31).contains(day), hour < 24, minute < 60, second <= 60
        else {
            return nil
        }
        let days = Self.daysSinceEpoch(year: year, month: month + 1, day: day)
        return days * 86_400 + Int64(hour * 3_600 + minute * 60 + second)
    }

    private static func string(_ bytes: [UInt8], _ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    private static func number(_ bytes: [UInt8], _ range: Range<Int>) -> Int? {
        var value = 0
        for byte in bytes[range] {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else {
                return nil
            }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's
    /// `days_from_civil`).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int64 {
        let year = month <= 2 ? year - 1 : year
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return Int64(era * 146_097 + dayOfEra - 719_468)
    }
}
