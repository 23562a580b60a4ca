// swift-tools-version: 6.0
import PackageDescription

// libFuzzer targets for every parser that reads outside input: a separate package so that the root build and
// CI never compile them. Build and run them with scripts/fuzz (docs/reliability.md, "Fuzzing"); each target is
// an executable whose entry point is libFuzzer's, so it only links with `--sanitize=fuzzer`.
let parsers: [(target: String, products: [String])] = [
    ("FuzzPrometheusText", ["PerfKit", "PerftopCore"]),
    ("FuzzJSONFlattener", ["PerfKit", "PerftopCore"]),
    ("FuzzSnapshot", ["PerfKit"]),
    ("FuzzAgentLine", ["PerfKitAgent"]),
    ("FuzzProcStat", ["PerfKit"]),
    ("FuzzSystemStatistics", ["PerftopCore"]),
    ("FuzzTheme", ["PerftopTUI"]),
    ("FuzzConfig", ["PerftopCore"]),
    ("FuzzTrackerTOML", ["PerftopCore"]),
    ("FuzzTrackerGoal", ["PerftopCore"]),
    ("FuzzMarkdownImport", ["PerftopCore"]),
    ("FuzzRedisReply", ["PerfKit", "PerfKitRedis", "PerftopCore"]),
    ("FuzzHTTPCacheHeaders", ["PerfKitHTTPCache"]),
    ("FuzzMemcachedStats", ["PerfKit", "PerftopCore"]),
    ("FuzzPostgresWire", ["PerfKit", "PerftopCore"]),
    ("FuzzPrometheusAPI", ["PerfKit", "PerftopCore"]),
    ("FuzzRecord", ["PerfKit", "PerftopCore"]),
]

let package = Package(
    name: "perftop-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "perftop", path: ".."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
    ],
    targets: [
        .target(name: "FuzzSupport")
    ]
        + parsers.map { parser in
            .executableTarget(
                name: parser.target,
                dependencies: ["FuzzSupport"] + parser.products.map { .product(name: $0, package: "perftop") }
                    + (parser.target == "FuzzAgentLine"
                        ? [
                            .product(name: "NIOCore", package: "swift-nio"),
                            .product(name: "NIOEmbedded", package: "swift-nio"),
                        ] : [])
            )
        }
)
