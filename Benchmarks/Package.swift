// swift-tools-version: 6.0
import PackageDescription

// A separate package so that the root build and CI never compile the benchmarks.
// Run: swift run -c release --package-path Benchmarks CacheBenchmarks
let package = Package(
    name: "perftop-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "perftop", path: ".."),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
    ],
    targets: [
        .target(name: "BenchmarkSupport"),
        .executableTarget(
            name: "CacheBenchmarks",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "PerfKit", package: "perftop"),
                .product(name: "PerfKitRedis", package: "perftop"),
                .product(name: "PerfKitHTTPCache", package: "perftop"),
                .product(name: "PerfKitHTTPCacheAsyncHTTPClient", package: "perftop"),
                .product(name: "PerftopDemo", package: "perftop"),
                .product(name: "ServerTestKit", package: "perftop"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "MeasurementBenchmarks",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "PerfKit", package: "perftop"),
            ]
        ),
        .executableTarget(
            name: "ProcessorBenchmarks",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "PerfKit", package: "perftop"),
            ]
        ),
        .executableTarget(
            name: "FeedBenchmarks",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "PerfKit", package: "perftop"),
                .product(name: "PerfKitAgent", package: "perftop"),
                .product(name: "PerftopCore", package: "perftop"),
                .product(name: "ServerTestKit", package: "perftop"),
            ]
        ),
        .executableTarget(
            name: "DerivationBenchmarks",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "PerfKit", package: "perftop"),
                .product(name: "PerftopCore", package: "perftop"),
                .product(name: "PerftopDemo", package: "perftop"),
                .product(name: "PerftopTUI", package: "perftop"),
            ]
        ),
        .executableTarget(
            name: "FleetAgents",
            dependencies: [
                .product(name: "PerfKit", package: "perftop"),
                .product(name: "PerfKitAgent", package: "perftop"),
                .product(name: "PerftopDemo", package: "perftop"),
            ]
        ),
        .executableTarget(
            name: "DashboardBenchmarks",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "PerfKit", package: "perftop"),
                .product(name: "PerfKitAgent", package: "perftop"),
                .product(name: "PerftopCore", package: "perftop"),
                .product(name: "PerftopTUI", package: "perftop"),
                .product(name: "PerftopDemo", package: "perftop"),
            ]
        ),
    ]
)
