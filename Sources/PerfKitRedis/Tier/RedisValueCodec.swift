import FoundationEssentials

/// How a ``RedisCacheTier`` turns values into Redis strings and back.
public struct RedisValueCodec<Value>: Sendable {
    /// The bytes stored for a value.
    public var encode: @Sendable (Value) throws -> [UInt8]
    /// The value of stored bytes; throws when they are not one (another version's format, say).
    public var decode: @Sendable ([UInt8]) throws -> Value

    /// A codec of the two conversions.
    public init(
        encode: @escaping @Sendable (Value) throws -> [UInt8],
        decode: @escaping @Sendable ([UInt8]) throws -> Value
    ) {
        self.encode = encode
        self.decode = decode
    }
}

extension RedisValueCodec where Value: Codable & Sendable {
    /// JSON, with `JSONEncoder` and `JSONDecoder`'s defaults.
    public static var json: Self {
        Self(
            encode: { Array(try JSONEncoder().encode($0)) },
            decode: { try JSONDecoder().decode(Value.self, from: Data($0)) }
        )
    }
}

extension RedisValueCodec where Value == [UInt8] {
    /// The bytes themselves.
    public static var bytes: Self {
        Self(encode: { $0 }, decode: { $0 })
    }
}
