import PerftopCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The interactive dashboard: takes over the terminal, redraws the model as it changes, and
/// gives the terminal back when the user quits or the process is told to stop.
///
/// ``run()`` is the only code in perftop that touches ncurses. Call it from the main thread, from
/// synchronous code (it blocks the thread until the dashboard ends), and at most once at a time.
public struct DashboardApp: Sendable {
    /// Why ``run()`` returned.
    public enum ExitReason: Sendable, Hashable {
        /// The user pressed `q` or `Q`.
        case quitKey
        /// The process received `SIGINT`, `SIGTERM` or `SIGHUP` (the number is given).
        case signal(Int32)
    }

    /// The longest a frame stays on screen without a redraw, even when nothing changed.
    public static let maximumFrameAge: Duration = .seconds(1)

    /// Returns the newest model; called every loop tick (about ten times a second).
    private let modelProvider: @Sendable () -> DashboardModel
    /// Draws frames.
    private let renderer: DashboardRenderer
    /// Creates the terminal when ``run()`` starts.
    private let makeScreen: @Sendable () throws -> any Screen
    /// Monotonic time since an arbitrary origin.
    private let uptime: @Sendable () -> Duration

    /// Creates a dashboard that shows the models `modelProvider` returns.
    ///
    /// - Parameter modelProvider: Returns the newest model. It is called on the UI thread about ten
    ///   times a second and must return quickly without blocking (e.g. read a value behind a
    ///   `Mutex`); a frame is drawn when the model's timestamp changes. The UI fills in
    ///   `selfCost.drawSeconds` itself.
    public init(modelProvider: @escaping @Sendable () -> DashboardModel) {
        let origin = ContinuousClock.now
        self.init(
            modelProvider: modelProvider,
            renderer: DashboardRenderer(),
            makeScreen: { try CursesTerminal() },
            uptime: { ContinuousClock.now - origin }
        )
    }

    /// Creates a dashboard on any screen and clock; for tests.
    init(
        modelProvider: @escaping @Sendable () -> DashboardModel,
        renderer: DashboardRenderer,
        makeScreen: @escaping @Sendable () throws -> any Screen,
        uptime: @escaping @Sendable () -> Duration
    ) {
        self.modelProvider = modelProvider
        self.renderer = renderer
        self.makeScreen = makeScreen
        self.uptime = uptime
    }

    // MARK: - Loop

    /// Runs the dashboard until the user presses `q` or a stop signal arrives, then restores the
    /// terminal and returns.
    ///
    /// Each tick waits up to 100 ms for a key, then redraws when the model's timestamp changed, a
    /// key was pressed, the terminal was resized, or the frame is older than
    /// ``maximumFrameAge``. The terminal is restored on every path out, including errors.
    ///
    /// SIGINT, SIGTERM and SIGHUP end the dashboard; from the first call on they are observed
    /// through ``TerminationSignals/shared`` and no longer terminate the process.
    /// - Returns: Why the dashboard ended; both reasons are a normal end.
    /// - Throws: ``TerminalError`` when the terminal cannot be set up.
    @discardableResult
    public func run() throws -> ExitReason {
        let signals = TerminationSignals.shared
        signals.reset()
        let screen = try self.makeScreen()
        defer { screen.restore() }
        var frame = FrameState()
        while true {
            if let number = signals.receivedSignal {
                return .signal(number)
            }
            self.drawIfNeeded(on: screen, frame: &frame)
            switch screen.readKey() {
            case .character("q"), .character("Q"):
                return .quitKey
            case .some:
                frame.isInvalid = true
            case .none:
                break
            }
        }
    }

    /// What the loop remembers between frames.
    private struct FrameState {
        /// True when the next tick must redraw whatever the model says.
        var isInvalid = true
        /// The timestamp of the model last drawn.
        var modelTimestamp: Double?
        /// When the last frame was drawn.
        var drawnAt: Duration?
        /// How long the last frame took to render and present, in seconds.
        var drawSeconds: Double?
    }

    /// Draws a frame when it is invalid, the model changed, or the frame is too old; measures it.
    private func drawIfNeeded(on screen: any Screen, frame: inout FrameState) {
        var model = self.modelProvider()
        let now = self.uptime()
        let isOld = frame.drawnAt.map { now - $0 >= Self.maximumFrameAge } ?? true
        guard frame.isInvalid || isOld || model.timestamp != frame.modelTimestamp else {
            return
        }
        model.selfCost.drawSeconds = frame.drawSeconds
        let grid = self.renderer.render(model, size: screen.size, glyphs: screen.glyphs)
        screen.present(grid)
        let end = self.uptime()
        let elapsed = (end - now).components
        frame.drawSeconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
        frame.drawnAt = end
        frame.modelTimestamp = model.timestamp
        frame.isInvalid = false
    }
}
