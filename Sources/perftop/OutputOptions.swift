import ArgumentParser
import Foundation
import PerftopCore
import PerftopTUI

/// The export formats `--export` takes.
enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
    case csv
}

/// How perftop presents what it collects: the dashboard, or an export; shared by `perftop` and `perftop demo`.
struct OutputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Seconds between two collections (0 < s ≤ 3600).", valueName: "seconds"))
    var interval: Double = 1

    @Option(help: ArgumentHelp("Write samples in this format instead of drawing the dashboard.", valueName: "format"))
    var export: ExportFormat?

    @Option(
        help: ArgumentHelp("With --export: stop after this many rounds (default: until interrupted).", valueName: "n")
    )
    var count: Int?

    @Option(help: ArgumentHelp("With --export: write to this file instead of standard output.", valueName: "file"))
    var output: String?

    /// Checks the values together; messages name the flag and the value.
    func check() throws {
        guard self.interval.isFinite, self.interval > 0, self.interval <= 3600 else {
            throw ValidationError("--interval must be greater than 0 and at most 3600 seconds, got \(self.interval)")
        }
        if let count = self.count, count < 1 {
            throw ValidationError("--count must be at least 1, got \(count)")
        }
        if self.export == nil, self.count != nil {
            throw ValidationError("--count needs --export")
        }
        if self.export == nil, self.output != nil {
            throw ValidationError("--output needs --export")
        }
    }

    var collectorConfiguration: Collector.Configuration {
        Collector.Configuration(interval: .milliseconds(Int64((self.interval * 1000).rounded())))
    }

    /// Runs the dashboard or the export over `collector` until the user quits or the count is reached.
    func present(_ collector: Collector) async throws {
        if let export = self.export {
            try await self.runExport(export, collector)
        } else {
            try await self.runDashboard(collector)
        }
    }

    private func runExport(_ format: ExportFormat, _ collector: Collector) async throws {
        let sink = try self.output.map(ExportSink.file(atPath:)) ?? ExportSink.standardOutput()
        let exporter = CSVExporter()
        try sink.write(CSVExporter.header + "\n")
        // The first round only primes the counters: a rate needs two readings.
        await collector.collectOnce()
        let clock = ContinuousClock()
        var next = clock.now
        var written = 0
        while self.count.map({ written < $0 }) ?? true {
            next = next.advanced(by: collector.configuration.interval)
            try await Task.sleep(until: next, clock: clock)
            let round = await collector.collectOnce()
            try sink.write(exporter.rows(for: round))
            written += 1
        }
    }

    private func runDashboard(_ collector: Collector) async throws {
        let collecting = Task { await collector.run() }
        defer { collecting.cancel() }
        let app = DashboardApp(modelProvider: { collector.model })
        try await MainActor.run {
            _ = try app.run()
        }
    }
}
