import PerfKit
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
        /// The user pressed `q`, `Q` or a Ctrl-C that reached the dashboard as a key.
        case quitKey
        /// The process received `SIGINT`, `SIGTERM` or `SIGHUP` (the number is given).
        case signal(Int32)
    }

    /// The longest a frame stays on screen without a redraw, even when nothing changed.
    public static let maximumFrameAge: Duration = .seconds(1)
    /// How long a tick waits for a key when nothing can wake the loop (no ``DashboardWakeup``).
    static let pollingWait: Duration = .milliseconds(100)

    /// Returns the newest model; called every loop tick.
    private let modelProvider: @Sendable () -> DashboardModel
    /// Ends a tick's wait early: signalled with each new model and on a termination signal.
    private let wakeup: DashboardWakeup?
    /// The settings at the start.
    private let settings: DashboardSettings
    /// The names of the themes `t` cycles through, the one in use first.
    private let themeNames: [String]
    /// Applies the theme at an index of ``themeNames`` to the screen.
    private let applyTheme: @Sendable (Int, any Screen) -> Void
    /// Told about every change of the settings (interval, theme, panes).
    private let onSettingsChange: @Sendable (DashboardSettings) -> Void
    /// Draws frames.
    private let renderer: DashboardRenderer
    /// Creates the terminal when ``run()`` starts.
    private let makeScreen: @Sendable () throws -> any Screen
    /// Monotonic time since an arbitrary origin.
    private let uptime: @Sendable () -> Duration
    /// Moves the replay shown, for `perftop replay`; nil when live.
    private let playback: (@Sendable (PlaybackAction) -> Void)?
    /// A message for the footer when the dashboard starts, e.g. a replay's damaged lines.
    private let startNotice: String?
    /// Applies a binding made in the tracker pane's picker and says how it went; nil when targets
    /// cannot be bound (a replay).
    private let onBind: (@Sendable (TrackerBinding) -> String)?

    /// How long ``startNotice`` and what a binding did stay.
    static let startNoticeLifetime: Duration = .seconds(10)

    /// Creates a dashboard that shows the models `modelProvider` returns.
    ///
    /// - Parameters:
    ///   - modelProvider: Returns the newest model. It is called on the UI thread at every tick
    ///     and must return quickly without blocking (e.g. read a value behind a `Mutex`); a frame
    ///     is drawn when the model's timestamp changes. The UI fills in `selfCost.drawSeconds`
    ///     itself.
    ///   - wakeup: Signal it when a new model is ready: the UI thread then sleeps until a key, a
    ///     new model, a signal or the next redraw is due. Without one it looks ten times a second.
    ///   - settings: The interval shown in the header, the theme's name and the panes shown at
    ///     the start.
    ///   - themes: The themes `t` cycles through, the one to start with first; the first is applied
    ///     to the screen before the first frame. Empty keeps the screen's default colours; fewer
    ///     than two disables `t`.
    ///   - onSettingsChange: Called on the UI thread with the new settings each time a key
    ///     changes them (`+`, `-`, `t`, `1`–`6`): set the collector's interval and save the
    ///     config there. It must return quickly.
    ///   - playback: For a replay, moves it (``KeyBindings/replay``'s keys); the model provider then
    ///     returns the replay's model. Called on the UI thread; it must return quickly.
    ///   - startNotice: A message the footer shows for the first ten seconds, or nil.
    ///   - onBind: Applies a binding chosen in the tracker pane's `b` picker (set the collector's
    ///     tracker, write the tracker file) and returns one line for the footer, shown for ten
    ///     seconds. Called on the UI thread; it must return quickly. Nil: `b` says it cannot bind.
    public init(
        modelProvider: @escaping @Sendable () -> DashboardModel,
        wakeup: DashboardWakeup? = nil,
        settings: DashboardSettings = DashboardSettings(),
        themes: [Theme] = [],
        onSettingsChange: @escaping @Sendable (DashboardSettings) -> Void = { _ in },
        playback: (@Sendable (PlaybackAction) -> Void)? = nil,
        startNotice: String? = nil,
        onBind: (@Sendable (TrackerBinding) -> String)? = nil
    ) {
        let origin = ContinuousClock.now
        self.init(
            modelProvider: modelProvider,
            wakeup: wakeup,
            settings: settings,
            themeNames: themes.map(\.name),
            applyTheme: { index, screen in screen.apply(themes[index]) },
            onSettingsChange: onSettingsChange,
            renderer: DashboardRenderer(),
            makeScreen: { try CursesTerminal() },
            uptime: { ContinuousClock.now - origin },
            playback: playback,
            startNotice: startNotice,
            onBind: onBind
        )
    }

    /// Creates a dashboard on any screen and clock; for tests.
    init(
        modelProvider: @escaping @Sendable () -> DashboardModel,
        wakeup: DashboardWakeup? = nil,
        settings: DashboardSettings = DashboardSettings(),
        themeNames: [String] = [],
        applyTheme: @escaping @Sendable (Int, any Screen) -> Void = { _, _ in },
        onSettingsChange: @escaping @Sendable (DashboardSettings) -> Void = { _ in },
        renderer: DashboardRenderer,
        makeScreen: @escaping @Sendable () throws -> any Screen,
        uptime: @escaping @Sendable () -> Duration,
        playback: (@Sendable (PlaybackAction) -> Void)? = nil,
        startNotice: String? = nil,
        onBind: (@Sendable (TrackerBinding) -> String)? = nil
    ) {
        self.modelProvider = modelProvider
        self.wakeup = wakeup
        self.settings = settings
        self.themeNames = themeNames
        self.applyTheme = applyTheme
        self.onSettingsChange = onSettingsChange
        self.renderer = renderer
        self.makeScreen = makeScreen
        self.uptime = uptime
        self.playback = playback
        self.startNotice = startNotice
        self.onBind = onBind
    }

    // MARK: - Loop

    /// Runs the dashboard until the user quits or a stop signal arrives, then restores the
    /// terminal and returns.
    ///
    /// Each tick redraws when the model on screen changed (a new model, unless frozen), a key
    /// changed the view, the terminal was resized or continued, a notice expired, or the frame is
    /// older than ``maximumFrameAge``; then it waits for a key and handles it (see
    /// ``KeyBindings``). With a ``DashboardWakeup`` the wait lasts until a key, the wakeup (a new
    /// model, a termination signal) or the next time-driven redraw (the frame's age, a notice's
    /// end), at most ``maximumFrameAge``; without one, 100 ms. The terminal is restored on every
    /// path out, including errors.
    ///
    /// SIGINT (Ctrl-C), SIGTERM and SIGHUP end the dashboard; from the first call on they are
    /// observed through ``TerminationSignals/shared`` and no longer terminate the process.
    /// - Returns: Why the dashboard ended; both reasons are a normal end.
    /// - Throws: ``TerminalError`` when the terminal cannot be set up.
    @discardableResult
    public func run() throws -> ExitReason {
        let signals = TerminationSignals.shared
        signals.reset()
        if let wakeup = self.wakeup {
            // Ends the wait of the tick during which a signal arrives. The task outlives the
            // dashboard when no signal comes; it holds only the wakeup.
            Task { @Sendable in
                _ = await signals.next()
                wakeup.signal()
            }
        }
        let screen = try self.makeScreen()
        defer { screen.restore() }
        if !self.themeNames.isEmpty {
            self.applyTheme(0, screen)
        }
        var state = DashboardViewState(
            settings: self.settings,
            themeNames: self.themeNames,
            isReplay: self.playback != nil
        )
        if let notice = self.startNotice {
            state.show(notice, now: self.uptime(), lifetime: Self.startNoticeLifetime)
        }
        var frame = FrameState()
        while true {
            if let number = signals.receivedSignal {
                return .signal(number)
            }
            let latest = self.modelProvider()
            let now = self.uptime()
            if state.receiveAlerts(latest.alerts, now: now) {
                frame.isInvalid = true
            }
            if state.takeBell() {
                screen.ringBell()
            }
            if state.receive(latest) || state.expireNotice(now: now) {
                frame.isInvalid = true
            }
            self.drawIfNeeded(on: screen, state: &state, frame: &frame)
            let wait = self.wakeup == nil ? Self.pollingWait : Self.wait(now: self.uptime(), frame: frame, state: state)
            guard let key = screen.readKey(waitingUpTo: wait, wakeup: self.wakeup) else {
                self.wakeup?.drain()
                continue
            }
            let placed = self.renderer.placement(size: screen.size, state: state).panes
            switch state.handle(key, panes: placed, now: self.uptime()) {
            case .none:
                break
            case .redraw:
                frame.isInvalid = true
            case .quit:
                return .quitKey
            case .settingsChanged:
                self.onSettingsChange(state.settings)
                frame.isInvalid = true
            case .themeChanged(let index):
                self.applyTheme(index, screen)
                self.onSettingsChange(state.settings)
                frame.isInvalid = true
            case .playback(let action):
                self.playback?(action)
                frame.isInvalid = true
            case .bind(let binding):
                let outcome = self.onBind?(binding) ?? "targets cannot be bound here"
                state.show(outcome, now: self.uptime(), lifetime: Self.startNoticeLifetime)
                frame.isInvalid = true
            }
        }
    }

    /// How long a tick may sleep at `now`: until the frame is ``maximumFrameAge`` old or the
    /// notice ends, whichever is first; never negative.
    static func wait(now: Duration, frame: FrameState, state: DashboardViewState) -> Duration {
        var wait = Self.maximumFrameAge
        if let drawnAt = frame.drawnAt {
            wait = min(wait, drawnAt + Self.maximumFrameAge - now)
        }
        if let notice = state.notice {
            wait = min(wait, notice.until - now)
        }
        return max(wait, .zero)
    }

    /// What the loop remembers between frames.
    struct FrameState {
        /// True when the next tick must redraw.
        var isInvalid = true
        /// When the last frame was drawn.
        var drawnAt: Duration?
        /// How long the last frame took to render and present, in seconds.
        var drawSeconds: Double?
    }

    /// Draws a frame when it is invalid or too old, after updating the panes' scroll limits for
    /// the model and size; measures it.
    private func drawIfNeeded(on screen: any Screen, state: inout DashboardViewState, frame: inout FrameState) {
        let now = self.uptime()
        let isOld = frame.drawnAt.map { now - $0 >= Self.maximumFrameAge } ?? true
        guard frame.isInvalid || isOld, var model = state.model else {
            return
        }
        model.selfCost.drawSeconds = frame.drawSeconds
        let size = screen.size
        state.setScrollLimits(self.renderer.scrollLimits(model, size: size, state: state))
        let grid = self.renderer.render(model, size: size, glyphs: screen.glyphs, state: state)
        screen.present(grid)
        let end = self.uptime()
        frame.drawSeconds = (end - now).seconds
        frame.drawnAt = end
        frame.isInvalid = false
    }
}
