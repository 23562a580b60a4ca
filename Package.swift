// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "perftop",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "PerfKit", targets: ["PerfKit"]),
        // The agent's Unix-socket and HTTP servers, on SwiftNIO: an app that wants only PerfKit's caches
        // and measurement does not link NIO.
        .library(name: "PerfKitAgent", targets: ["PerfKitAgent"]),
        .library(name: "PerfKitAllocationCounting", targets: ["PerfKitAllocationCounting"]),
        // A Redis tier for TieredCache and its RESP client, on SwiftNIO (PerfKit alone does not link NIO).
        .library(name: "PerfKitRedis", targets: ["PerfKitRedis"]),
        // The HTTP response cache, over any HTTP client: apart, so PerfKit's caches do not link NIO.
        .library(name: "PerfKitHTTPCache", targets: ["PerfKitHTTPCache"]),
        // Its transport on AsyncHTTPClient: apart, so a cache over another client does not link it.
        .library(name: "PerfKitHTTPCacheAsyncHTTPClient", targets: ["PerfKitHTTPCacheAsyncHTTPClient"]),
        // For the Benchmarks package only: perftop's collector layer, with no API stability promise.
        .library(name: "PerftopCore", targets: ["PerftopCore"]),
        // For the Benchmarks package only: the headless dashboard renderer, with no API stability promise.
        .library(name: "PerftopTUI", targets: ["PerftopTUI"]),
        // For the Benchmarks package only: the demo agent and its tracker, with no API stability promise.
        .library(name: "PerftopDemo", targets: ["PerftopDemo"]),
        // For the Benchmarks package only: starts real redis-server, memcached and PostgreSQL.
        .library(name: "ServerTestKit", targets: ["ServerTestKit"]),
        .executable(name: "perftop", targets: ["perftop"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/ordo-one/malloc-interposer", from: "1.6.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // `swift package generate-documentation --target PerfKit` (docs/release.md); a plugin, linked into nothing.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .target(name: "CPerfKitSystem"),
        .target(
            name: "PerfKit",
            dependencies: [
                "CPerfKitSystem",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        .target(
            name: "PerfKitAgent",
            dependencies: [
                "PerfKit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "PerfKitRedis",
            dependencies: [
                "PerfKit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        // Opt-in: linking it replaces malloc process-wide, so nothing else here depends on it except
        // the example agent, never a test target (all test targets share one process).
        .target(
            name: "PerfKitAllocationCounting",
            dependencies: [
                "PerfKit",
                .product(name: "MallocInterposerSwift", package: "malloc-interposer"),
            ]
        ),
        .target(
            name: "PerfKitHTTPCache",
            dependencies: [
                "PerfKit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "PerfKitHTTPCacheAsyncHTTPClient",
            dependencies: [
                "PerfKitHTTPCache",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .target(
            name: "PerftopCore",
            dependencies: [
                "CPerfKitSystem",
                "CZlib",
                "PerfKit",
                "PerfKitAgent",
                "PerfKitHTTPCache",
                "PerfKitRedis",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        .target(
            name: "PerftopDemo",
            dependencies: [
                "PerfKit",
                "PerfKitHTTPCache",
                "PerfKitRedis",
                "PerftopCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .systemLibrary(
            name: "CNCursesW",
            providers: [.apt(["libncurses-dev"])]
        ),
        // zlib, for `--record FILE.gz` and replaying it.
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "PerftopTUI",
            dependencies: [
                "PerftopCore",
                "CNCursesW",
            ]
        ),
        .executableTarget(
            name: "perftop",
            dependencies: [
                "PerfKit",
                "PerfKitAgent",
                "PerfKitRedis",
                "PerftopCore",
                "PerftopDemo",
                "PerftopTUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            plugins: ["VersionStamp"]
        ),
        // Writes BuildInfo.swift (the commit built from) into perftop at build time.
        .executableTarget(name: "VersionStampTool"),
        .plugin(name: "VersionStamp", capability: .buildTool(), dependencies: ["VersionStampTool"]),
        .executableTarget(
            name: "perfkit-allocation-agent",
            dependencies: ["PerfKit", "PerfKitAgent", "PerfKitAllocationCounting", "PerftopCore", "PerftopDemo"]
        ),
        .testTarget(
            name: "PerfKitTests",
            dependencies: [
                "PerfKit",
                "PerfKitTestKit",
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            resources: [.copy("Fixtures")]
        ),
        // Helpers the tests of PerfKit and PerfKitAgent share.
        .target(
            name: "PerfKitTestKit",
            dependencies: ["PerfKit"],
            path: "Tests/PerfKitTestKit"
        ),
        .testTarget(
            name: "PerfKitAgentTests",
            dependencies: [
                "PerfKitAgent",
                "PerfKitTestKit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "PerfKitRedisTests",
            dependencies: [
                "PerfKitRedis",
                "ServerTestKit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "PerfKitHTTPCacheTests",
            dependencies: [
                "PerfKitHTTPCache",
                "PerfKitHTTPCacheAsyncHTTPClient",
                "PerfKit",
                "PerfKitTestKit",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "PerftopDemoTests",
            dependencies: [
                "PerftopDemo", "PerftopCore", "PerfKitHTTPCache", .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // Real servers the source tests start (redis-server, memcached, PostgreSQL), shared by the
        // core and end-to-end tests.
        .target(
            name: "ServerTestKit",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Tests/ServerTestKit"
        ),
        .testTarget(
            name: "PerftopCoreTests",
            dependencies: [
                "PerftopCore",
                "ServerTestKit",
                "PerfKitAgent",
                "PerfKitHTTPCache",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "PerftopTUITests",
            dependencies: ["PerftopTUI", "PerftopDemo"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "PerftopEndToEndTests",
            dependencies: [
                "perftop", "perfkit-allocation-agent", "ServerTestKit", "PerfKit", "PerfKitAgent", "PerftopCore",
            ]
        ),
    ]
)

// Our modules see only the members of the modules they import themselves, so no Foundation API leaks in
// through a dependency that imports it: our code uses FoundationEssentials, and perftop links neither
// full Foundation nor ICU.
// (PerfKitAgent is left out: it reads socket addresses' C fields, which NIO's C module defines.)
for target in package.targets
where (target.type == .regular || target.type == .executable) && target.name != "PerfKitAgent" {
    target.swiftSettings = (target.swiftSettings ?? []) + [.enableUpcomingFeature("MemberImportVisibility")]
}
