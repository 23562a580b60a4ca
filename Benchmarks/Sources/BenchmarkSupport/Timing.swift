/// The median, over `repetitions` timed runs after one untimed warm-up run, of the seconds `run`
/// takes. `run` returns a checksum of its work, kept alive so the optimizer cannot drop the work.
public func medianSeconds(
    repetitions: Int = 5,
    isolation: isolated (any Actor)? = #isolation,
    _ run: () async -> Int
) async -> Double {
    let clock = ContinuousClock()
    var samples: [Double] = []
    for repetition in 0...repetitions {
        let start = clock.now
        blackHole(await run())
        let (seconds, attoseconds) = start.duration(to: clock.now).components
        if repetition > 0 {
            samples.append(Double(seconds) + Double(attoseconds) * 1e-18)
        }
    }
    samples.sort()
    return samples[samples.count / 2]
}
