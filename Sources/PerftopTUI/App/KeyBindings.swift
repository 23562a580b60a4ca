import PerftopCore

/// Something the user asks the dashboard to do with a key.
public enum DashboardAction: Sendable, Hashable {
    /// End the dashboard.
    case quit
    /// Freeze the screen on the model shown now, or jump back to the newest one.
    case toggleFreeze
    /// Poll less often (the next longer step of ``DashboardViewState/intervalSteps``).
    case longerInterval
    /// Poll more often (the next shorter step).
    case shorterInterval
    /// Switch to the next theme.
    case nextTheme
    /// Show or hide one pane.
    case togglePane(DashboardSettings.PaneKind)
    /// Show the focused pane alone over the whole body, or go back to all panes.
    case toggleZoom
    /// Move the focus to the next visible pane.
    case focusNext
    /// Move the focus to the previous visible pane.
    case focusPrevious
    /// Scroll the focused pane's table one row up.
    case scrollUp
    /// Scroll the focused pane's table one row down.
    case scrollDown
    /// Scroll the focused pane's table one page up.
    case pageUp
    /// Scroll the focused pane's table one page down.
    case pageDown
    /// Scroll the focused pane's table to its first row.
    case scrollToTop
    /// Scroll the focused pane's table to its last row.
    case scrollToBottom
    /// Sort the focused table by its next key: the tracker (status, priority, due) or the fleet
    /// (any column); with another pane focused, the tracker.
    case cycleSort
    /// Start typing a filter of the fleet pane's sources.
    case startFilter
    /// Show the selected fleet source's panes alone.
    case drillIn
    /// Bind the selected tracker target to a live series: open the picker of series and statistics.
    case bindTarget
    /// Show or hide, under the fleet, where the selected source's values come from: its query (a
    /// Prometheus target's PromQL), its name, and why it is not ok.
    case toggleSourceDetail
    /// Forget the peaks seen so far.
    case resetPeaks
    /// Show or hide the help overlay.
    case toggleHelp
    /// Close the help overlay, the source drilled into, the fleet's filter or the zoom.
    case dismiss
    /// Move a replay (`perftop replay`): play or pause, step, jump, change speed.
    case playback(PlaybackAction)
    /// Move the graph cursor one interval back (`true`) or forward, freezing the screen first.
    case moveCursor(older: Bool)
}

/// One line of the key map: the keys, how they are written for people, and what they do.
public struct KeyBinding: Sendable, Hashable {
    /// The keys that trigger the action.
    public var keys: [Key]
    /// The keys as the help overlay writes them, e.g. `q  Ctrl-C`.
    public var label: String
    /// What the keys do, e.g. `quit`.
    public var summary: String
    /// The action.
    public var action: DashboardAction
    /// How the footer shows the binding; nil keeps it out of the footer.
    public var footer: FooterHint?

    /// A footer hint: the key as the footer writes it and a one-word action, e.g. `space` `freeze`.
    public struct FooterHint: Sendable, Hashable {
        /// The key, e.g. `space`.
        public var key: String
        /// The action in a word, e.g. `freeze`.
        public var summary: String

        /// Creates a hint.
        public init(_ key: String, _ summary: String) {
            self.key = key
            self.summary = summary
        }
    }

    /// Creates a binding.
    /// - Parameters:
    ///   - keys: The keys that trigger `action`.
    ///   - label: The keys as written in the help overlay.
    ///   - summary: What the keys do, as the help overlay says it.
    ///   - action: The action.
    ///   - footer: How the footer shows the binding, or nil to leave it out of the footer.
    public init(
        keys: [Key],
        label: String,
        summary: String,
        action: DashboardAction,
        footer: FooterHint? = nil
    ) {
        self.keys = keys
        self.label = label
        self.summary = summary
        self.action = action
        self.footer = footer
    }
}

/// The dashboard's key map: the single table that key handling, the footer and the help overlay
/// all read, so they cannot disagree.
public enum KeyBindings {
    /// Every binding, in the order the help overlay lists them. Ctrl-C also arrives as `SIGINT`,
    /// which ends the dashboard through ``TerminationSignals``; the byte is bound too for terminals in raw mode.
    public static let all: [KeyBinding] =
        [
            KeyBinding(
                keys: [.character("q"), .character("Q"), .character("\u{03}")],
                label: "q  Ctrl-C",
                summary: "quit",
                action: .quit,
                footer: KeyBinding.FooterHint("q", "quit")
            ),
            KeyBinding(
                keys: [.character(" "), .character("f")],
                label: "space  f",
                summary: "freeze the screen / jump back to now",
                action: .toggleFreeze,
                footer: KeyBinding.FooterHint("space", "freeze")
            ),
            KeyBinding(
                keys: [.character("+"), .character("=")],
                label: "+  =",
                summary: "poll less often (longer interval)",
                action: .longerInterval,
                footer: KeyBinding.FooterHint("+/-", "interval")
            ),
            KeyBinding(
                keys: [.character("-"), .character("_")],
                label: "-  _",
                summary: "poll more often (shorter interval)",
                action: .shorterInterval
            ),
            KeyBinding(
                keys: [.character("t")],
                label: "t",
                summary: "next theme",
                action: .nextTheme,
                footer: KeyBinding.FooterHint("t", "theme")
            ),
        ]
        + DashboardSettings.PaneKind.allCases.map { kind in
            KeyBinding(
                keys: [.character(kind.toggleKey)],
                label: String(kind.toggleKey),
                summary: "show / hide the \(kind.displayName) pane",
                action: .togglePane(kind),
                footer: kind == .caches ? KeyBinding.FooterHint(DashboardSettings.PaneKind.toggleKeys, "panes") : nil
            )
        }
        + [
            KeyBinding(
                keys: [.character("z")],
                label: "z",
                summary: "zoom the focused pane / all panes",
                action: .toggleZoom,
                footer: KeyBinding.FooterHint("z", "zoom")
            ),
            KeyBinding(keys: [.tab], label: "Tab", summary: "focus the next pane", action: .focusNext),
            KeyBinding(
                keys: [.backTab],
                label: "Shift-Tab",
                summary: "focus the previous pane",
                action: .focusPrevious
            ),
            KeyBinding(
                keys: [.up, .character("k")],
                label: "↑  k",
                summary: "scroll up a row (fleet, tracker: select)",
                action: .scrollUp
            ),
            KeyBinding(
                keys: [.down, .character("j")],
                label: "↓  j",
                summary: "scroll down a row (fleet, tracker: select)",
                action: .scrollDown
            ),
            KeyBinding(
                keys: [.left],
                label: "←  →",
                summary: "freeze with a cursor on the focused graphs; move it back",
                action: .moveCursor(older: true)
            ),
            KeyBinding(
                keys: [.right],
                label: "→",
                summary: "move the graph cursor forward",
                action: .moveCursor(older: false)
            ),
            KeyBinding(keys: [.pageUp], label: "PgUp", summary: "scroll up a page", action: .pageUp),
            KeyBinding(keys: [.pageDown], label: "PgDn", summary: "scroll down a page", action: .pageDown),
            KeyBinding(keys: [.home], label: "Home", summary: "scroll to the top", action: .scrollToTop),
            KeyBinding(keys: [.end], label: "End", summary: "scroll to the bottom", action: .scrollToBottom),
            KeyBinding(
                keys: [.character("s")],
                label: "s",
                summary: "sort the tracker (status, priority, due) or the fleet (next column)",
                action: .cycleSort
            ),
            KeyBinding(keys: [.character("/")], label: "/", summary: "filter the fleet by name", action: .startFilter),
            KeyBinding(
                keys: [.enter],
                label: "Enter",
                summary: "show the selected fleet source alone; in the b picker, choose",
                action: .drillIn
            ),
            KeyBinding(
                keys: [.character("i")],
                label: "i",
                summary: "show / hide the selected fleet source's query and state",
                action: .toggleSourceDetail
            ),
            KeyBinding(
                keys: [.character("b")],
                label: "b",
                summary: "bind the selected tracker target to a live series",
                action: .bindTarget
            ),
            KeyBinding(keys: [.character("r")], label: "r", summary: "reset the peaks", action: .resetPeaks),
            KeyBinding(
                keys: [.character("?"), .character("h")],
                label: "?  h",
                summary: "this help",
                action: .toggleHelp,
                footer: KeyBinding.FooterHint("?", "help")
            ),
            KeyBinding(
                keys: [.escape],
                label: "Esc",
                summary: "close the b picker, back to the fleet, clear its filter, or close the zoom",
                action: .dismiss
            ),
        ]

    /// The keys of a replay, which take precedence over ``all`` there: space plays and pauses
    /// instead of freezing, Home and End go to the first and last round instead of scrolling.
    public static let replay: [KeyBinding] = [
        KeyBinding(
            keys: [.character(" ")],
            label: "space",
            summary: "play / pause the replay",
            action: .playback(.togglePlay),
            footer: KeyBinding.FooterHint("space", "play")
        ),
        KeyBinding(
            keys: [.left, .right],
            label: "←  →",
            summary: "step one round back / forward",
            action: .playback(.step(1)),
            footer: KeyBinding.FooterHint("←/→", "step")
        ),
        KeyBinding(
            keys: [.character("["), .character("]")],
            label: "[  ]",
            summary: "jump a minute back / forward",
            action: .playback(.jump(seconds: 60)),
            footer: KeyBinding.FooterHint("[/]", "minute")
        ),
        KeyBinding(
            keys: [.character("<"), .character(">")],
            label: "<  >",
            summary: "play slower / faster (¼× to 64×)",
            action: .playback(.changeSpeed(faster: true)),
            footer: KeyBinding.FooterHint("</>", "speed")
        ),
        KeyBinding(keys: [.home], label: "Home", summary: "the first round", action: .playback(.first)),
        KeyBinding(keys: [.end], label: "End", summary: "the last round", action: .playback(.last)),
    ]

    /// The action bound to `key`, or nil; in a replay, ``replay``'s bindings first.
    public static func action(for key: Key, replay: Bool = false) -> DashboardAction? {
        if replay, let action = Self.replayTable[key] {
            return action
        }
        return self.table[key]
    }

    /// The bindings a replay shows in its help: ``replay``'s, then those of ``all`` whose keys a replay
    /// does not take over.
    public static var replayHelp: [KeyBinding] {
        Self.replay + Self.all.filter { binding in !binding.keys.contains { Self.replayTable[$0] != nil } }
    }

    /// The replay's bindings by key; each pair of keys goes both ways (back, forward; slower, faster).
    private static let replayTable: [Key: DashboardAction] = [
        .character(" "): .playback(.togglePlay),
        .left: .playback(.step(-1)),
        .right: .playback(.step(1)),
        .character("["): .playback(.jump(seconds: -60)),
        .character("]"): .playback(.jump(seconds: 60)),
        .character("<"): .playback(.changeSpeed(faster: false)),
        .character(">"): .playback(.changeSpeed(faster: true)),
        .home: .playback(.first),
        .end: .playback(.last),
    ]

    /// The bindings by key.
    private static let table: [Key: DashboardAction] = {
        var table: [Key: DashboardAction] = [:]
        for binding in Self.all {
            for key in binding.keys where table[key] == nil {
                table[key] = binding.action
            }
        }
        return table
    }()
}
