import PerfKit
import PerfKitAgent

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// A small service built on PerfKit, as an app would embed it: thumbnails served from a bounded
// cache, misses rendered on an AsyncProcessor with a concurrency limit, every render timed, and
// everything exposed on an agent socket for perftop.
//
//   ThumbnailService SOCKET [SECONDS]     serve for SECONDS (default 300), then exit
//
// Watch it with `perftop --attach SOCKET`.

/// Renders thumbnails: a stand-in for real work that takes a few milliseconds.
struct Renderer: Sendable {
    func render(_ image: Int) async throws -> [UInt8] {
        try await Task.sleep(for: .milliseconds(2 + image % 7))
        return [UInt8](repeating: UInt8(truncatingIfNeeded: image), count: 256)
    }
}

/// Answers thumbnail requests from the cache, rendering and caching what is missing.
struct ThumbnailService: Sendable {
    let thumbnails = Cache<Int, [UInt8]>(name: "thumbnails", capacity: 2_000)
    let renders = AsyncProcessor(name: "renders", maxConcurrency: 4, queueCapacity: 256, whenFull: .reject)
    let renderer = Renderer()

    /// The thumbnail of `image`: from the cache, else rendered (at most four at a time) and cached.
    func thumbnail(of image: Int) async throws -> [UInt8] {
        if let cached = self.thumbnails.value(forKey: image) {
            return cached
        }
        let rendered = try await self.renders.submit(timeout: .seconds(1)) {
            try await OperationTimings.default.measure("thumbnail.render") {
                try await self.renderer.render(image)
            }
        }
        self.thumbnails.setValue(rendered, forKey: image)
        return rendered
    }

    /// Everything perftop shows for this service.
    func registry() -> MetricsRegistry {
        let registry = MetricsRegistry()
        registry.register(self.thumbnails)
        registry.register(self.renders)
        registry.register(OperationTimings.default)
        registry.register(ProcessSampleSource())
        registry.register(AllocationSampleSource())
        return registry
    }
}

let arguments = CommandLine.arguments
guard arguments.count == 2 || arguments.count == 3, let seconds = Int(arguments.count == 3 ? arguments[2] : "300")
else {
    print("usage: ThumbnailService SOCKET [SECONDS]")
    exit(64)
}
let service = ThumbnailService()
let server = try await AgentServer.start(path: arguments[1], registry: service.registry(), agentName: "thumbnails")
print("serving on \(arguments[1]) for \(seconds) s: perftop --attach \(arguments[1])")
// Clients asking for popular images far more often than others (about 80% of requests go to 20%
// of 10,000 images), 200 requests at a time.
var random = SystemRandomNumberGenerator()
let end = ContinuousClock.now + .seconds(seconds)
while ContinuousClock.now < end {
    await withTaskGroup(of: Void.self) { group in
        for _ in 0..<200 {
            let popular = Int.random(in: 0..<5, using: &random) < 4
            let image = popular ? Int.random(in: 0..<2_000, using: &random) : Int.random(in: 0..<10_000, using: &random)
            group.addTask { _ = try? await service.thumbnail(of: image) }
        }
    }
    try await Task.sleep(for: .milliseconds(50))
}
try await server.shutdown()
