import PerfKit

@testable import PerftopCore

// MARK: - Samples

extension Sample {
    /// A counter sample, as the store and dashboard tests write them.
    static func counter(_ name: String, _ value: Double, _ labels: [String: String] = [:]) -> Sample {
        Sample(name: name, labels: labels, kind: .counter, value: value)
    }

    /// A gauge sample, as the store and dashboard tests write them.
    static func gauge(_ name: String, _ value: Double, _ labels: [String: String] = [:]) -> Sample {
        Sample(name: name, labels: labels, kind: .gauge, value: value)
    }
}

// MARK: - Models

extension DashboardModel {
    /// The model of one source's polls, each recorded through a real ``SeriesStore`` (retention 10)
    /// and derived at the last poll's time with a one-second interval.
    /// - Parameters:
    ///   - polls: The time of each poll and what the source reported then, oldest first.
    ///   - source: The source's name.
    static func recorded(_ polls: [(time: Double, samples: [Sample])], source: String = "agent") -> DashboardModel {
        var store = SeriesStore(retention: 10)
        for (time, samples) in polls {
            store.record(source: source, samples: samples, at: time)
        }
        return DashboardModel(store: store, sources: [], timestamp: polls.last?.time ?? 0, interval: 1)
    }

    /// The derived export samples by series (`name{labels}`); the first of any repeated series wins.
    var derivedValues: [String: Double] {
        Dictionary(
            self.derivedSamples().map { ($0.sample.seriesID.description, $0.sample.value) },
            uniquingKeysWith: { first, _ in first }
        )
    }
}
