import PerfKit
import Testing

@testable import PerftopCore

@Suite("Advisor: memory-leak")
struct AdvisorMemoryTests {
    private static let mebibyte = 1_048_576.0

    /// Resident memory polled every `interval` seconds, `resident(i)` bytes at poll `i`.
    private func resident(points: Int = 20, interval: Double = 10, _ resident: (Int) -> Double) -> SeriesStore {
        SeriesStore.polls(points, interval: interval) { [.gauge("process_resident_memory_bytes", resident($0))] }
    }

    /// Steady growth of `perMinute` bytes a minute from 200 MiB, polled every 10 seconds.
    private func growing(_ perMinute: Double, points: Int = 20, interval: Double = 10) -> SeriesStore {
        self.resident(points: points, interval: interval) {
            200 * Self.mebibyte + perMinute * Double($0) * interval / 60
        }
    }

    @Test("steady growth is a suspected leak, citing the slope in MiB/min and the window")
    func fires() throws {
        let advice = Advisor().advise(store: self.growing(2 * Self.mebibyte))
        #expect(advice.count == 1)
        let leak = try #require(advice.first)
        #expect(leak.rule == .memoryLeak)
        #expect(leak.severity == .warning)
        #expect(leak.subject == AdviceSubject(source: "agent", kind: .process))
        #expect(abs((leak.value("growth") ?? 0) - 2 * Self.mebibyte) < 1e-3)
        #expect(leak.value("window") == 190)
        #expect(leak.message.contains("growth +2.00MiB/min, R² 1.00, resident 206MiB, window 190s"))
        #expect(leak.action.hasPrefix("suspected leak"))
    }

    @Test("growth just over the threshold fires; just under it does not")
    func slopeEdge() {
        #expect(Advisor().advise(store: self.growing(1.01 * Self.mebibyte)).count == 1)
        #expect(Advisor().advise(store: self.growing(0.99 * Self.mebibyte)).isEmpty)
        let tuned = Advisor(thresholds: AdvisorThresholds(leakBytesPerMinute: 0.5 * Self.mebibyte))
        #expect(tuned.advise(store: self.growing(0.99 * Self.mebibyte)).count == 1)
    }

    @Test("a flat, sawtooth or noisy series is not a leak")
    func notALeak() {
        #expect(Advisor().advise(store: self.resident { _ in 300 * Self.mebibyte }).isEmpty)
        // Grows 20 MiB/min and drops back every five polls (a GC or a cache flush): R² ≈ 0.
        let sawtooth = self.resident { 300 * Self.mebibyte + Double($0 % 5) * 20 * Self.mebibyte / 6 }
        #expect(Advisor().advise(store: sawtooth).isEmpty)
        let noisy = self.resident { 300 * Self.mebibyte + Double($0 * 7919 % 13 - 6) * Self.mebibyte }
        #expect(Advisor().advise(store: noisy).isEmpty)
    }

    @Test("steady growth with a little noise still fires; R² under the threshold does not")
    func rSquaredEdge() {
        let wobbly = self.resident { poll in
            300 * Self.mebibyte + Double(poll) * 2 * Self.mebibyte + (poll.isMultiple(of: 2) ? 1 : -1) * Self.mebibyte
        }
        #expect(Advisor().advise(store: wobbly).count == 1)
        let strict = Advisor(thresholds: AdvisorThresholds(leakRSquared: 0.999))
        #expect(strict.advise(store: wobbly).isEmpty)
    }

    @Test("fewer points than the minimum, or a window shorter than a minute, is no evidence")
    func tooLittle() {
        #expect(Advisor().advise(store: self.growing(10 * Self.mebibyte, points: 9)).isEmpty)
        #expect(Advisor().advise(store: self.growing(10 * Self.mebibyte, points: 10)).count == 1)
        #expect(Advisor().advise(store: self.growing(10 * Self.mebibyte, points: 30, interval: 2)).isEmpty)
        #expect(Advisor().advise(store: self.growing(10 * Self.mebibyte, points: 31, interval: 2)).count == 1)
    }
}
