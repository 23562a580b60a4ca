import Foundation
import PerfKit
import PerfKitTestKit
import Testing

@Suite struct DiskCacheTests {
    struct Symbol: Codable, Sendable, Equatable {
        var name: String
        var address: UInt64
    }

    /// A fresh directory under the system's temporary directory, removed by ``remove()``.
    struct TemporaryDirectory {
        let url: URL

        init() throws {
            self.url = FileManager.default.temporaryDirectory
                .appendingPathComponent("DiskCacheTests-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: self.url, withIntermediateDirectories: true)
        }

        func remove() {
            try? FileManager.default.removeItem(at: self.url)
        }

        /// The entry files in the cache directory `cache`, by name.
        func entryFiles(in cache: URL) throws -> [URL] {
            try FileManager.default.contentsOfDirectory(atPath: cache.path)
                .filter { $0.hasSuffix(".entry") }
                .sorted()
                .map { cache.appendingPathComponent($0) }
        }
    }

    // MARK: - Persistence

    @Test func survivesARestart() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let directory = temporary.url.appendingPathComponent("cache")
        let first = try DiskCache<Symbol>(name: "symbols", directory: directory, maxBytes: 1 << 20)
        try first.setValue(Symbol(name: "main", address: 0x1000), forKey: "main")
        try first.setValue(Symbol(name: "ünïcode/../key", address: 0x2000), forKey: "ünïcode/../key")

        let second = try DiskCache<Symbol>(name: "symbols", directory: directory, maxBytes: 1 << 20)

        #expect(second.value(forKey: "main") == Symbol(name: "main", address: 0x1000))
        #expect(second.value(forKey: "ünïcode/../key") == Symbol(name: "ünïcode/../key", address: 0x2000))
        #expect(second.value(forKey: "absent") == nil)
        #expect(second.stats.entries == 2)
        #expect(second.stats.bytes == first.stats.bytes)
        #expect(second.stats.hits == 2)
        #expect(second.stats.misses == 1)
    }

    @Test func replacesAndRemovesEntries() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let cache = try DiskCache<Int>(name: "ints", directory: temporary.url, maxBytes: 1 << 20)

        try cache.setValue(1, forKey: "a")
        try cache.setValue(2, forKey: "a")
        try cache.setValue(3, forKey: "b")
        #expect(cache.value(forKey: "a") == 2)
        cache.removeValue(forKey: "a")
        #expect(cache.value(forKey: "a") == nil)
        #expect(try temporary.entryFiles(in: temporary.url).count == 1)
        cache.removeAll()
        #expect(cache.value(forKey: "b") == nil)
        #expect(try temporary.entryFiles(in: temporary.url).isEmpty)
        #expect(cache.stats.bytes == 0)
        #expect(cache.stats.writes == 3)
    }

    @Test func refusesKeysTooLongForAFileName() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let cache = try DiskCache<Int>(name: "ints", directory: temporary.url, maxBytes: 1 << 20)
        let key = String(repeating: "k", count: DiskCache<Int>.maximumKeyLength + 1)

        #expect(throws: DiskCacheError.keyTooLong(key)) { try cache.setValue(1, forKey: key) }
        #expect(cache.value(forKey: key) == nil)
    }

    // MARK: - Source invalidation

    @Test func invalidatesWhenTheSourceModificationTimeChanges() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let source = temporary.url.appendingPathComponent("main.c")
        try Data("int main() {}".utf8).write(to: source)
        let cache = try DiskCache<String>(
            name: "context",
            directory: temporary.url.appendingPathComponent("c"),
            maxBytes: 1 << 20
        )
        try cache.setValue("parsed", forKey: "main.c", source: source)
        #expect(cache.value(forKey: "main.c") == "parsed")

        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSince1970: 1_000_000)],
            ofItemAtPath: source.path
        )

        #expect(cache.value(forKey: "main.c") == nil)
        #expect(cache.stats.invalidations == 1)
        #expect(cache.stats.entries == 0)
    }

    @Test func invalidatesWhenTheSourceSizeChanges() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let source = temporary.url.appendingPathComponent("main.c")
        let modified = Date(timeIntervalSince1970: 2_000_000)
        try Data("int main() {}".utf8).write(to: source)
        try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: source.path)
        let cache = try DiskCache<String>(
            name: "context",
            directory: temporary.url.appendingPathComponent("c"),
            maxBytes: 1 << 20
        )
        try cache.setValue("parsed", forKey: "main.c", source: source)

        try Data("int main() { return 1; }".utf8).write(to: source)
        try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: source.path)

        #expect(cache.value(forKey: "main.c") == nil)
        #expect(cache.stats.invalidations == 1)
    }

    @Test func keepsEntriesWhoseSourceIsUnchangedAcrossARestart() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let source = temporary.url.appendingPathComponent("main.c")
        try Data("int main() {}".utf8).write(to: source)
        let directory = temporary.url.appendingPathComponent("c")
        try DiskCache<String>(name: "context", directory: directory, maxBytes: 1 << 20)
            .setValue("parsed", forKey: "main.c", source: source)

        let reopened = try DiskCache<String>(name: "context", directory: directory, maxBytes: 1 << 20)

        #expect(reopened.value(forKey: "main.c") == "parsed")
        #expect(reopened.stats.invalidations == 0)
    }

    // MARK: - Corruption

    enum Damage: String, CaseIterable, Sendable {
        case truncatedPayload
        case truncatedHeader
        case flippedPayloadByte
        case flippedHeaderByte
        case empty
    }

    @Test(arguments: Damage.allCases)
    func discardsADamagedFile(damage: Damage) throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let cache = try DiskCache<Symbol>(name: "symbols", directory: temporary.url, maxBytes: 1 << 20)
        try cache.setValue(Symbol(name: "qqqq", address: 0x1000), forKey: "main")
        let file = try #require(try temporary.entryFiles(in: temporary.url).first)
        var bytes = try Data(contentsOf: file)
        switch damage {
        case .truncatedPayload: bytes = bytes.prefix(bytes.count - 3)
        case .truncatedHeader: bytes = bytes.prefix(10)
        case .flippedPayloadByte:
            // Inside the value's name, so the JSON still decodes: only the checksum can tell.
            let name = try #require(bytes.range(of: Data("qqqq".utf8)))
            bytes[name.lowerBound] ^= 0x01
        case .flippedHeaderByte: bytes[9] ^= 0x80
        case .empty: bytes = Data()
        }
        try bytes.write(to: file)

        let reopened = try DiskCache<Symbol>(name: "symbols", directory: temporary.url, maxBytes: 1 << 20)

        #expect(reopened.value(forKey: "main") == nil)
        #expect(reopened.stats.corruptEntries == 1)
        #expect(reopened.stats.entries == 0)
        #expect(reopened.stats.bytes == 0)
        #expect(try temporary.entryFiles(in: temporary.url).isEmpty)
        try reopened.setValue(Symbol(name: "main", address: 0x2000), forKey: "main")
        #expect(reopened.value(forKey: "main") == Symbol(name: "main", address: 0x2000))
    }

    // MARK: - Byte bound

    @Test func evictsTheLeastRecentlyAccessedEntriesToStayWithinTheByteBound() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let probe = try DiskCache<String>(
            name: "probe",
            directory: temporary.url.appendingPathComponent("p"),
            maxBytes: 1 << 20
        )
        try probe.setValue("value-0", forKey: "key-0")
        let entryBytes = probe.stats.bytes
        let directory = temporary.url.appendingPathComponent("c")
        let cache = try DiskCache<String>(name: "bounded", directory: directory, maxBytes: 3 * entryBytes)

        try cache.setValue("value-0", forKey: "key-0")
        try cache.setValue("value-1", forKey: "key-1")
        try cache.setValue("value-2", forKey: "key-2")
        #expect(cache.value(forKey: "key-0") == "value-0")
        try cache.setValue("value-3", forKey: "key-3")

        #expect(cache.value(forKey: "key-1") == nil)
        #expect(cache.value(forKey: "key-0") == "value-0")
        #expect(cache.value(forKey: "key-2") == "value-2")
        #expect(cache.value(forKey: "key-3") == "value-3")
        #expect(cache.stats.evictions == 1)

        for index in 4..<10 {
            try cache.setValue("value-\(index)", forKey: "key-\(index)")
            #expect(cache.stats.bytes <= cache.maxBytes)
        }
        let onDisk = try temporary.entryFiles(in: directory).reduce(0) { total, url in
            total + (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as! NSNumber).intValue
        }
        #expect(onDisk == cache.stats.bytes)
        #expect(onDisk <= cache.maxBytes)
        #expect(cache.stats.entries == 3)
        #expect(cache.stats.evictions == 7)
    }

    @Test func refusesAnEntryLargerThanTheWholeBound() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let cache = try DiskCache<String>(name: "tiny", directory: temporary.url, maxBytes: 64)

        #expect(throws: DiskCacheError.self) {
            try cache.setValue(String(repeating: "x", count: 100), forKey: "big")
        }
        #expect(cache.stats.entries == 0)
    }

    // MARK: - Samples

    @Test func reportsItsCountersAsSamplesOfTheDiskTier() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let cache = try DiskCache<Int>(name: "ints", directory: temporary.url, maxBytes: 1 << 20)
        try cache.setValue(1, forKey: "a")
        _ = cache.value(forKey: "a")
        _ = cache.value(forKey: "b")

        let collected = cache.collectSamples()
        let labels = ["cache": "ints", "tier": "disk"]
        #expect(samples(named: "cache_hits_total", in: collected)[labels]?.value == 1)
        #expect(samples(named: "cache_misses_total", in: collected)[labels]?.value == 1)
        #expect(samples(named: "cache_writes_total", in: collected)[labels]?.value == 1)
        #expect(
            samples(named: "cache_evictions_total", in: collected)[labels.merging(["cause": "size"]) { $1 }]?.value == 0
        )
        #expect(samples(named: "cache_entries", in: collected)[labels]?.kind == .gauge)
        #expect(samples(named: "cache_bytes", in: collected)[labels]?.value == Double(cache.stats.bytes))
        #expect(samples(named: "cache_capacity_bytes", in: collected)[labels]?.value == Double(1 << 20))
    }
}
