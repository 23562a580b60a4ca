import Foundation
import PerfKit

/// Draws ranks from a Zipf distribution over `1...elementCount` by rejection-inversion.
///
/// Rank `k` is drawn with probability proportional to `1 / k^exponent`. The algorithm is Hörmann and
/// Derflinger's rejection-inversion ("Rejection-inversion to generate variates from monotone discrete
/// distributions", 1996), as in Apache Commons RNG: O(1) memory and expected O(1) time per sample, with
/// no table over the elements.
struct ZipfSampler {
    /// The number of ranks; samples are in `1...elementCount`.
    let elementCount: Int
    /// The exponent of the distribution; must be greater than zero.
    let exponent: Double

    private let hIntegralX1: Double
    private let hIntegralElementCount: Double
    private let s: Double

    /// Creates a sampler over `1...elementCount` with the given exponent.
    init(elementCount: Int, exponent: Double) {
        precondition(elementCount > 0 && exponent > 0, "Zipf needs elements and a positive exponent")
        self.elementCount = elementCount
        self.exponent = exponent
        self.hIntegralX1 = Self.hIntegral(1.5, exponent: exponent) - 1
        self.hIntegralElementCount = Self.hIntegral(Double(elementCount) + 0.5, exponent: exponent)
        self.s =
            2
            - Self.hIntegralInverse(
                Self.hIntegral(2.5, exponent: exponent) - Self.h(2, exponent: exponent),
                exponent: exponent
            )
    }

    /// Draws one rank in `1...elementCount`; rank 1 is the most frequent.
    func next(using generator: inout SplitMix64) -> Int {
        while true {
            let u =
                self.hIntegralElementCount + generator.nextUnitDouble()
                * (self.hIntegralX1 - self.hIntegralElementCount)
            let x = Self.hIntegralInverse(u, exponent: self.exponent)
            let k = min(max(Int(x + 0.5), 1), self.elementCount)
            if Double(k) - x <= self.s {
                return k
            }
            let kDouble = Double(k)
            if u >= Self.hIntegral(kDouble + 0.5, exponent: self.exponent) - Self.h(kDouble, exponent: self.exponent) {
                return k
            }
        }
    }

    // MARK: - Helpers

    private static func h(_ x: Double, exponent: Double) -> Double {
        exp(-exponent * log(x))
    }

    private static func hIntegral(_ x: Double, exponent: Double) -> Double {
        let logX = log(x)
        return self.helper2((1 - exponent) * logX) * logX
    }

    private static func hIntegralInverse(_ x: Double, exponent: Double) -> Double {
        let t = max(x * (1 - exponent), -1)
        return exp(self.helper1(t) * x)
    }

    /// `log1p(x) / x`, accurate near zero.
    private static func helper1(_ x: Double) -> Double {
        abs(x) > 1e-8 ? log1p(x) / x : 1 - x * (0.5 - x * (1.0 / 3.0 - 0.25 * x))
    }

    /// `expm1(x) / x`, accurate near zero.
    private static func helper2(_ x: Double) -> Double {
        abs(x) > 1e-8 ? expm1(x) / x : 1 + x * 0.5 * (1 + x * (1.0 / 3.0) * (1 + 0.25 * x))
    }
}
