import PerfKit

/// A 24-bit color: red, green and blue from 0 to 255.
public struct RGB: Sendable, Hashable, CustomStringConvertible {
    /// The red component, 0–255.
    public var red: UInt8
    /// The green component, 0–255.
    public var green: UInt8
    /// The blue component, 0–255.
    public var blue: UInt8

    /// Creates a color from its three components.
    public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// A grey: all three components `level`.
    public init(grey level: UInt8) {
        self.init(level, level, level)
    }

    /// The color as `#rrggbb`.
    public var description: String {
        "#"
            + [self.red, self.green, self.blue].map { String(zeroPadded: $0, width: 2, radix: 16) }
            .joined()
    }

    /// The color halfway between `self` and `other`, component by component (rounded down).
    public func midpoint(to other: RGB) -> RGB {
        RGB(
            UInt8((Int(self.red) + Int(other.red)) / 2),
            UInt8((Int(self.green) + Int(other.green)) / 2),
            UInt8((Int(self.blue) + Int(other.blue)) / 2)
        )
    }

    /// The squared Euclidean distance to `other` in RGB space; what the nearest-color mappings minimise.
    func squaredDistance(to other: RGB) -> Int {
        let red = Int(self.red) - Int(other.red)
        let green = Int(self.green) - Int(other.green)
        let blue = Int(self.blue) - Int(other.blue)
        return red * red + green * green + blue * blue
    }
}
