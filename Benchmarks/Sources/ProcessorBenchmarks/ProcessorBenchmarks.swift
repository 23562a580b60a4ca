import BenchmarkSupport
import Foundation
import PerfKit
import Synchronization

/// Measures PerfKit's ``AsyncProcessor``: the cost of a submission over a bare task group, throughput
/// at several concurrency limits, and Little's law (L = λW) on a steady open-loop load.
///
/// Run with `swift run -c release --package-path Benchmarks ProcessorBenchmarks [SECTION…]`, where a
/// section is `overhead`, `throughput` or `littles-law`; all three run when none is named. Figures
/// depend on the machine; the Little's law check takes 12 s.
@main
struct ProcessorBenchmarks {
    /// The parts of the benchmark, selectable by name on the command line.
    enum Section: String, CaseIterable {
        case overhead
        case throughput
        case littlesLaw = "littles-law"
    }

    static func main() async {
        let sections = selectedSections(of: "ProcessorBenchmarks", Section.self)
        let clock = ContinuousClock()
        let start = clock.now
        print("PerfKit AsyncProcessor benchmarks; \(ProcessInfo.processInfo.activeProcessorCount) cores")
        if sections.contains(.overhead) {
            print()
            await OverheadBenchmark.run()
        }
        if sections.contains(.throughput) {
            print()
            await OverheadBenchmark.runThroughput()
        }
        if sections.contains(.littlesLaw) {
            print()
            await LittlesLawBenchmark.run()
        }
        print()
        print("Total time: \(clock.now - start)")
    }
}
