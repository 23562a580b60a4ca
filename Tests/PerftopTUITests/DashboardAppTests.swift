import PerftopCore
import Synchronization
import Testing

@testable import PerftopTUI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A scripted screen: answers `readKey` from a script, records every frame and the restore.
private final class FakeScreen: Screen, Sendable {
    /// What the screen has seen and what it will answer.
    struct State {
        var size: TerminalSize
        var keys: [Key?]
        var frames: [CellGrid] = []
        var reads = 0
        var restores = 0
        var bells = 0
        var themes: [String] = []
        var onRead: [Int: @Sendable (FakeScreen) -> Void] = [:]
        /// What each read was told to wait for: its timeout and descriptor.
        var waits: [(timeout: Duration, descriptor: Int32?)] = []
    }

    let state: Mutex<State>

    init(size: TerminalSize = TerminalSize(width: 80, height: 24), keys: [Key?]) {
        self.state = Mutex(State(size: size, keys: keys))
    }

    var size: TerminalSize { self.state.withLockedValue { $0.size } }

    var glyphs: Glyphs { .unicode }

    func present(_ grid: CellGrid) {
        self.state.withLockedValue { $0.frames.append(grid) }
    }

    /// The next scripted key; after the script, nothing for a while, then `q` so a broken loop
    /// cannot hang the test run.
    func readKey(waitingUpTo timeout: Duration, wakeup: DashboardWakeup?) -> Key? {
        let (read, action, key) = self.state.withLockedValue {
            state -> (Int, (@Sendable (FakeScreen) -> Void)?, Key?) in
            state.reads += 1
            state.waits.append((timeout, wakeup?.descriptor))
            let key = state.keys.isEmpty ? nil : state.keys.removeFirst()
            return (state.reads, state.onRead[state.reads], key)
        }
        action?(self)
        if key == nil && read > 20 {
            usleep(1000)
            return read > 5000 ? .character("q") : nil
        }
        return key
    }

    func restore() {
        self.state.withLockedValue { $0.restores += 1 }
    }

    func apply(_ theme: Theme) {
        self.state.withLockedValue { $0.themes.append(theme.name) }
    }

    func ringBell() {
        self.state.withLockedValue { $0.bells += 1 }
    }

    func setSize(_ size: TerminalSize) {
        self.state.withLockedValue { $0.size = size }
    }
}

/// A manual clock for the loop.
private final class ManualUptime: Sendable {
    let milliseconds = Atomic<Int64>(0)

    func advance(byMilliseconds amount: Int64) {
        self.milliseconds.add(amount, ordering: .relaxed)
    }

    var now: Duration { .milliseconds(self.milliseconds.load(ordering: .relaxed)) }
}

@Suite("DashboardApp", .serialized)
struct DashboardAppTests {
    /// The app on a scripted screen and a manual clock.
    private func app(
        screen: FakeScreen,
        uptime: ManualUptime = ManualUptime(),
        model: @escaping @Sendable () -> DashboardModel = { TestModels.full }
    ) -> DashboardApp {
        self.app(makeScreen: { screen }, clock: { uptime.now }, model: model)
    }

    /// The app on any screen factory and clock.
    private func app(
        makeScreen: @escaping @Sendable () throws -> any Screen,
        clock: @escaping @Sendable () -> Duration,
        model: @escaping @Sendable () -> DashboardModel = { TestModels.full }
    ) -> DashboardApp {
        DashboardApp(modelProvider: model, renderer: DashboardRenderer(), makeScreen: makeScreen, uptime: clock)
    }

    @Test("with a wakeup a tick sleeps on its descriptor until the next redraw is due; without, 100 ms")
    func waits() throws {
        let wakeup = try #require(DashboardWakeup())
        let uptime = ManualUptime()
        let screen = FakeScreen(keys: [nil, nil, .character("q")])
        screen.state.withLockedValue { $0.onRead[1] = { _ in uptime.advance(byMilliseconds: 300) } }
        let app = DashboardApp(
            modelProvider: { TestModels.full },
            wakeup: wakeup,
            renderer: DashboardRenderer(),
            makeScreen: { screen },
            uptime: { uptime.now }
        )
        try app.run()
        let waits = screen.state.withLockedValue { $0.waits }
        #expect(waits.map(\.timeout) == [.seconds(1), .milliseconds(700), .milliseconds(700)])
        #expect(waits.allSatisfy { $0.descriptor == wakeup.descriptor })

        let polling = FakeScreen(keys: [.character("q")])
        try self.app(screen: polling).run()
        #expect(polling.state.withLockedValue { $0.waits.map(\.timeout) } == [.milliseconds(100)])
        #expect(polling.state.withLockedValue { $0.waits.map(\.descriptor) } == [nil])
    }

    @Test("a tick's wait ends when the frame is a second old or the notice ends, never below zero")
    func waitUntilDue() {
        var frame = DashboardApp.FrameState()
        var state = DashboardViewState(settings: DashboardSettings(), themeNames: [])
        #expect(DashboardApp.wait(now: .seconds(5), frame: frame, state: state) == .seconds(1))
        frame.drawnAt = .seconds(5)
        #expect(DashboardApp.wait(now: .milliseconds(5_250), frame: frame, state: state) == .milliseconds(750))
        #expect(DashboardApp.wait(now: .seconds(7), frame: frame, state: state) == .zero)
        _ = state.handle(.character("t"), now: .milliseconds(2_500))
        #expect(state.notice?.text == "no themes")
        #expect(DashboardApp.wait(now: .milliseconds(5_250), frame: frame, state: state) == .milliseconds(250))
    }

    @Test("a wakeup's descriptor is readable from signal() until drain()")
    func wakeupDescriptor() throws {
        let wakeup = try #require(DashboardWakeup())
        func isReadable() -> Bool {
            var descriptor = pollfd(fd: wakeup.descriptor, events: Int16(POLLIN), revents: 0)
            return poll(&descriptor, 1, 0) == 1
        }
        #expect(!isReadable())
        wakeup.signal()
        wakeup.signal()
        #expect(isReadable())
        wakeup.drain()
        #expect(!isReadable())
    }

    @Test("a trigger's alert rings the bell once and shows its notice in the footer, frozen or not")
    func triggerAlert() throws {
        let screen = FakeScreen(keys: [.character("f"), nil, nil, .character("q")])
        let models = Mutex(0)
        let app = self.app(screen: screen) {
            var model = TestModels.full
            let call = models.withLockedValue { count in
                count += 1
                return count
            }
            // From the third look on, the model carries one alert (as every later round would).
            if call >= 3 {
                model.alerts = [
                    TriggerAlert(
                        sequence: 1,
                        time: model.timestamp,
                        event: .fired,
                        subject: TriggerSubject(
                            key: "target:0:embed p95",
                            name: "embed p95",
                            status: .missed,
                            formattedValue: "72ms",
                            goal: "< 50ms",
                            trigger: Trigger(bell: true)
                        )
                    )
                ]
            }
            return model
        }
        try app.run()
        let (bells, frames) = screen.state.withLockedValue { ($0.bells, $0.frames) }
        #expect(bells == 1)
        let footer = try #require(frames.last).line(23)
        #expect(footer.contains("trigger: 'embed p95' missed: 72ms"))
    }

    @Test("q quits, after drawing, and restores the screen; an unbound key draws nothing new")
    func quitKey() throws {
        let screen = FakeScreen(keys: [nil, .character("x"), .character("q")])
        let reason = try self.app(screen: screen).run()
        #expect(reason == .quitKey)
        let state = screen.state.withLockedValue { ($0.frames, $0.restores) }
        #expect(state.1 == 1)
        #expect(state.0.count == 1)
        #expect(state.0.first?.text.contains("Cache hit rate") == true)
    }

    @Test("keys change the next frame: freeze shows FROZEN, a hidden pane is gone, help overlays the panes")
    func keysRedraw() throws {
        let screen = FakeScreen(
            size: TerminalSize(width: 200, height: 50),
            keys: [.character("f"), .character("1"), .character("?"), .character("x"), .character("q")]
        )
        try self.app(screen: screen).run()
        let frames = screen.state.withLockedValue { $0.frames }
        #expect(frames.count == 5)
        #expect(!frames[0].line(0).contains("FROZEN"))
        #expect(frames[1].line(0).hasPrefix("perftop │ FROZEN │"))
        #expect(frames[1].text.contains("Cache hit rate"))
        #expect(!frames[2].text.contains("Cache hit rate"))
        #expect(frames[3].text.contains(HelpOverlay.title))
        #expect(!frames[4].text.contains(HelpOverlay.title))
    }

    @Test("a frozen screen keeps its model while newer ones arrive")
    func frozenModel() throws {
        let timestamp = Atomic<Int64>(1)
        let screen = FakeScreen(keys: [.character(" "), nil, nil, .character(" "), nil, .character("q")])
        screen.state.withLockedValue { state in
            state.onRead[2] = { _ in timestamp.store(2, ordering: .relaxed) }
        }
        let app = self.app(screen: screen) {
            DashboardModel(timestamp: Double(timestamp.load(ordering: .relaxed)), interval: 1)
        }
        try app.run()
        #expect(screen.state.withLockedValue { $0.frames.count } == 3)
    }

    @Test("+ and 1 report the new settings; t applies the next theme and reports its name")
    func settingsChange() throws {
        let reported = Mutex<[DashboardSettings]>([])
        let screen = FakeScreen(keys: [.character("+"), .character("1"), .character("t"), .character("q")])
        let app = DashboardApp(
            modelProvider: { TestModels.full },
            themeNames: ["default", "nord"],
            applyTheme: { index, screen in screen.apply(Theme(name: ["default", "nord"][index])) },
            onSettingsChange: { settings in reported.withLockedValue { $0.append(settings) } },
            renderer: DashboardRenderer(),
            makeScreen: { screen },
            uptime: { .zero }
        )
        try app.run()
        let settings = reported.withLockedValue { $0 }
        #expect(settings.map(\.interval) == [.seconds(2), .seconds(2), .seconds(2)])
        #expect(
            settings.last?.visiblePanes == [
                .builtIn(.queues), .builtIn(.latency), .builtIn(.memory), .builtIn(.churn), .builtIn(.tracker),
            ]
        )
        #expect(settings.last?.theme == "nord")
        #expect(screen.state.withLockedValue { $0.themes } == ["default", "nord"])
        let footer = screen.state.withLockedValue { $0.frames.last?.line(23) } ?? ""
        #expect(footer.hasSuffix("theme nord"))
    }

    @Test("Q quits too")
    func capitalQ() throws {
        let screen = FakeScreen(keys: [.character("Q")])
        #expect(try self.app(screen: screen).run() == .quitKey)
    }

    @Test("a resize redraws at the new size")
    func resize() throws {
        let screen = FakeScreen(size: TerminalSize(width: 80, height: 24), keys: [nil, .resize, .character("q")])
        screen.state.withLockedValue { $0.onRead[2] = { $0.setSize(TerminalSize(width: 200, height: 50)) } }
        try self.app(screen: screen).run()
        let sizes = screen.state.withLockedValue { $0.frames.map { TerminalSize(width: $0.columns, height: $0.rows) } }
        #expect(sizes == [TerminalSize(width: 80, height: 24), TerminalSize(width: 200, height: 50)])
    }

    @Test("frames follow the model's timestamp and age, not every tick")
    func redrawPolicy() throws {
        let uptime = ManualUptime()
        let timestamp = Atomic<Int64>(1)
        let screen = FakeScreen(keys: [nil, nil, nil, nil, nil, .character("q")])
        screen.state.withLockedValue { state in
            state.onRead[2] = { _ in timestamp.store(2, ordering: .relaxed) }
            state.onRead[4] = { _ in uptime.advance(byMilliseconds: 1000) }
        }
        let app = self.app(screen: screen, uptime: uptime) {
            DashboardModel(timestamp: Double(timestamp.load(ordering: .relaxed)), interval: 1)
        }
        try app.run()
        #expect(screen.state.withLockedValue { $0.frames.count } == 3)
    }

    @Test("the header shows the measured draw time of the previous frame")
    func drawTime() throws {
        let uptime = ManualUptime()
        let screen = FakeScreen(size: TerminalSize(width: 120, height: 24), keys: [.resize, .character("q")])
        let app = self.app(
            makeScreen: { screen },
            clock: {
                uptime.advance(byMilliseconds: 2)
                return uptime.now
            },
            model: { TestModels.empty }
        )
        try app.run()
        let headers = screen.state.withLockedValue { $0.frames.map { $0.line(0) } }
        #expect(headers.count == 2)
        #expect(headers.first?.contains("draw –") == true)
        #expect(headers.last?.contains("draw 2.00ms") == true)
    }

    @Test("SIGINT, SIGTERM and SIGHUP end the loop cleanly, run after run", arguments: [SIGHUP, SIGTERM, SIGINT])
    func stopSignal(number: Int32) throws {
        let screen = FakeScreen(keys: [])
        // The first signal of a process can be lost while libdispatch installs its handler;
        // resend only after the loop had ample time (300 reads of 1 ms) to see the previous one.
        screen.state.withLockedValue { state in
            for read in [3, 300, 600, 900] {
                state.onRead[read] = { _ in kill(getpid(), number) }
            }
        }
        let reason = try self.app(screen: screen).run()
        #expect(reason == .signal(number))
        #expect(screen.state.withLockedValue { $0.restores } == 1)
    }

    @Test("a signal from before the run does not end it")
    func staleSignal() throws {
        let first = FakeScreen(keys: [])
        first.state.withLockedValue { $0.onRead[2] = { _ in kill(getpid(), SIGTERM) } }
        #expect(try self.app(screen: first).run() == .signal(SIGTERM))
        let second = FakeScreen(keys: [nil, nil, .character("q")])
        #expect(try self.app(screen: second).run() == .quitKey)
    }

    @Test("a screen that cannot start is reported")
    func screenFails() {
        let app = self.app(makeScreen: { throw TerminalError.notATerminal }, clock: { .zero })
        #expect(throws: TerminalError.notATerminal) { try app.run() }
    }

    @Test("Enter on a statistic in the tracker's picker hands the binding on and shows what it did in the footer")
    func bind() throws {
        var model = DashboardModel(timestamp: 1, interval: 1)
        model.tracker = [TrackerTargetView(name: "Users Lookup", goal: "< 1s", status: "unbound", targetIndex: 2)]
        let lookup = MetricSelector(name: "operation_seconds", matchers: [.init(label: "op", value: "users.lookup")])
        model.bindableSeries = [BindableSeries(selector: lookup, kind: .summary)]
        let bound = Mutex<[TrackerBinding]>([])
        let tabs = [Key?](repeating: .tab, count: 5)
        let screen = FakeScreen(
            size: TerminalSize(width: 120, height: 30),
            keys: tabs + [.character("b"), .enter, .enter, nil, .character("q")]
        )
        let shown = model
        let app = DashboardApp(
            modelProvider: { shown },
            renderer: DashboardRenderer(),
            makeScreen: { screen },
            uptime: { .zero },
            onBind: { binding in
                bound.withLockedValue { $0.append(binding) }
                return "bound it"
            }
        )
        try app.run()
        let expected = TrackerBinding(targetIndex: 2, targetName: "Users Lookup", metric: lookup, statistic: .p95)
        #expect(bound.withLockedValue { $0 } == [expected])
        let frames = screen.state.withLockedValue { $0.frames }
        #expect(frames.contains { $0.text.contains("Bind 'Users Lookup'") })
        #expect(frames.last?.line(29).hasSuffix("bound it") == true)
    }
}
