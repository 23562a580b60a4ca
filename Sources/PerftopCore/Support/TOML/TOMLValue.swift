import PerfKit

/// A value read from TOML text by ``TOMLParser``.
package enum TOMLValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    /// A local date, `1979-05-27`.
    case date(TOMLDate)
    /// A local time, `07:32:00`.
    case time(TOMLTime)
    /// A date and a time, with an offset from UTC or without one (a local date-time).
    case dateTime(TOMLDateTime)
    case array([TOMLValue])
    case table(TOMLTable)

    /// The text of a string.
    package var string: String? {
        if case .string(let text) = self { text } else { nil }
    }

    /// The value of an integer.
    package var int: Int? {
        if case .integer(let value) = self { value } else { nil }
    }

    /// The value of a float (not of an integer).
    package var double: Double? {
        if case .float(let value) = self { value } else { nil }
    }

    package var bool: Bool? {
        if case .boolean(let value) = self { value } else { nil }
    }

    /// A local date (not the date of a date-time).
    package var date: TOMLDate? {
        if case .date(let value) = self { value } else { nil }
    }

    package var dateTime: TOMLDateTime? {
        if case .dateTime(let value) = self { value } else { nil }
    }

    /// The elements of an array, including an array of tables (`[[name]]`).
    package var array: [TOMLValue]? {
        if case .array(let elements) = self { elements } else { nil }
    }

    package var table: TOMLTable? {
        if case .table(let table) = self { table } else { nil }
    }
}

/// A TOML table: keys in the order they were first defined, each with its value.
package struct TOMLTable: Sendable, Equatable {
    /// The keys in the order they were first defined.
    package private(set) var keys: [String] = []
    private var values: [String: TOMLValue] = [:]

    package init() {}

    /// The value of `key`, or nil.
    package subscript(key: String) -> TOMLValue? {
        self.values[key]
    }

    /// Sets `key` to `value`; a new key goes last.
    package mutating func set(_ value: TOMLValue, for key: String) {
        if self.values.updateValue(value, forKey: key) == nil {
            self.keys.append(key)
        }
    }
}

/// A calendar date, checked to exist (`2024-02-29`, never `2023-02-29`).
package struct TOMLDate: Sendable, Equatable {
    package var year: Int
    package var month: Int
    package var day: Int
}

/// A time of day; `second` may be 60 (a leap second).
package struct TOMLTime: Sendable, Equatable {
    package var hour: Int
    package var minute: Int
    package var second: Int
    /// The fraction of the second, truncated to nanoseconds.
    package var nanosecond: Int
}

/// A date and a time of day, with the offset from UTC when the text gives one.
package struct TOMLDateTime: Sendable, Equatable {
    package var date: TOMLDate
    package var time: TOMLTime
    /// Minutes east of UTC (`Z` is 0, `-07:00` is -420); nil for a local date-time.
    package var offsetMinutes: Int?
}

// MARK: - Description

extension TOMLValue: CustomStringConvertible {
    /// The value as TOML would spell it, for messages: `"disks"`, `-4`, `[1, 2]`.
    package var description: String {
        switch self {
        case .string(let text): TOMLWriting.string(text)
        case .integer(let value): "\(value)"
        case .float(let value): value.isNaN ? "nan" : value.isInfinite ? (value < 0 ? "-inf" : "inf") : "\(value)"
        case .boolean(let value): "\(value)"
        case .date(let date): date.description
        case .time(let time): time.description
        case .dateTime(let dateTime): dateTime.description
        case .array(let elements): "[" + elements.map(\.description).joined(separator: ", ") + "]"
        case .table(let table):
            "{ " + table.keys.map { "\($0) = \(table[$0]?.description ?? "")" }.joined(separator: ", ") + " }"
        }
    }
}

extension TOMLDate: CustomStringConvertible {
    package var description: String {
        String(zeroPadded: self.year, width: 4) + "-" + String(zeroPadded: self.month, width: 2) + "-"
            + String(zeroPadded: self.day, width: 2)
    }
}

extension TOMLTime: CustomStringConvertible {
    package var description: String {
        let whole = [self.hour, self.minute, self.second].map { String(zeroPadded: $0, width: 2) }
        let fraction = self.nanosecond == 0 ? "" : "." + String(zeroPadded: self.nanosecond, width: 9)
        return whole.joined(separator: ":") + fraction
    }
}

extension TOMLDateTime: CustomStringConvertible {
    package var description: String {
        guard let offset = self.offsetMinutes else {
            return "\(self.date)T\(self.time)"
        }
        guard offset != 0 else {
            return "\(self.date)T\(self.time)Z"
        }
        let magnitude = abs(offset)
        return "\(self.date)T\(self.time)" + (offset < 0 ? "-" : "+") + String(zeroPadded: magnitude / 60, width: 2)
            + ":" + String(zeroPadded: magnitude % 60, width: 2)
    }
}
