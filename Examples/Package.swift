// swift-tools-version: 6.0
import PackageDescription

// Examples of using PerfKit from another package, which is how an app depends on it: by URL and
// version, or (here) by path. `swift run --package-path Examples ThumbnailService /tmp/thumbs.sock`
// then `perftop --attach /tmp/thumbs.sock`.
let package = Package(
    name: "PerfKitExamples",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "perftop", path: "..")
    ],
    targets: [
        // `swift run --package-path Examples AnswerCache /tmp/answers.sock`: a semantic cache (docs/caching.md).
        .executableTarget(
            name: "AnswerCache",
            dependencies: [
                .product(name: "PerfKit", package: "perftop"),
                .product(name: "PerfKitAgent", package: "perftop"),
            ]
        ),
        // `swift run --package-path Examples SharedProfiles 127.0.0.1 6379`: a Redis tier (docs/caching.md).
        .executableTarget(
            name: "SharedProfiles",
            dependencies: [
                .product(name: "PerfKit", package: "perftop"),
                .product(name: "PerfKitRedis", package: "perftop"),
            ]
        ),
        .executableTarget(
            name: "ThumbnailService",
            dependencies: [
                .product(name: "PerfKit", package: "perftop"),
                .product(name: "PerfKitAgent", package: "perftop"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
