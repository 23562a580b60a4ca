extension String {
    /// `value` in `radix`, with leading zeros up to `width` digits: `String(zeroPadded: 7, width: 2)` is
    /// `"07"`, `String(zeroPadded: 27, width: 4, radix: 16)` is `"001b"`. What `String(format: "%04x")`
    /// does, without Foundation. A negative value keeps its sign in front of the zeros.
    package init(zeroPadded value: some BinaryInteger, width: Int, radix: Int = 10, uppercase: Bool = false) {
        let digits = String(value.magnitude, radix: radix, uppercase: uppercase)
        let padding = String(repeating: "0", count: Swift.max(0, width - digits.count))
        self = (value < 0 ? "-" : "") + padding + digits
    }
}
