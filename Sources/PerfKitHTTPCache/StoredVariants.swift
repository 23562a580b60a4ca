import NIOHTTP1

/// The responses the ``HTTPResponseCache`` holds for one URL: one per combination of the request header
/// values its `Vary` names, at most ``maximumCount``, the most recently stored last.
struct StoredVariants: Sendable {
    /// The most variants kept per URL; storing one more drops the oldest.
    static let maximumCount = 8

    private(set) var responses: [StoredResponse] = []

    /// The variant that answers a request with `requestHeaders`, if any.
    func response(matching requestHeaders: HTTPHeaders) -> StoredResponse? {
        self.responses.last { $0.matches(requestHeaders) }
    }

    /// Stores `response` for a request with `requestHeaders`, replacing the variants that answered it.
    mutating func store(_ response: StoredResponse, for requestHeaders: HTTPHeaders) {
        self.responses.removeAll { $0.matches(requestHeaders) }
        self.responses.append(response)
        if self.responses.count > Self.maximumCount {
            self.responses.removeFirst(self.responses.count - Self.maximumCount)
        }
    }

    /// The bytes of all variants, the weight of the URL's entry in the cache.
    var weight: Int {
        self.responses.reduce(0) { $0 + $1.weight }
    }
}
