extension Duration {
    /// The timeout for a call that a test expects to succeed, or to fail for a reason other than time.
    ///
    /// The whole suite runs at once on two cores, and one CI run stalled a 5-second call to a local
    /// `redis-server` until it timed out. A test asserts behaviour, not speed, so such calls get 30 s,
    /// half the suites' one-minute limit. Tests of timeouts set their own short bounds.
    public static let mustSucceed = Duration.seconds(30)
}
