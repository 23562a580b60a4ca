import PerftopCore
import Testing

@testable import PerftopTUI

@Suite("KeyBindings")
struct KeyBindingsTests {
    @Test("no key is bound twice")
    func unique() {
        let keys = KeyBindings.all.flatMap(\.keys)
        #expect(Set(keys).count == keys.count)
    }

    @Test("every key finds its binding's action")
    func lookup() {
        for binding in KeyBindings.all {
            for key in binding.keys {
                #expect(KeyBindings.action(for: key) == binding.action)
            }
        }
        #expect(KeyBindings.action(for: .character("x")) == nil)
    }

    @Test(
        "every action of the issue has a key",
        arguments: [
            DashboardAction.quit, .toggleFreeze, .longerInterval, .shorterInterval, .nextTheme, .toggleZoom, .focusNext,
            .focusPrevious, .scrollUp, .scrollDown, .pageUp, .pageDown, .scrollToTop, .scrollToBottom,
            .cycleSort,
            .resetPeaks, .toggleHelp, .dismiss,
        ]
    )
    func actionBound(action: DashboardAction) {
        #expect(KeyBindings.all.contains { $0.action == action && !$0.keys.isEmpty })
    }

    @Test("1 to 8 toggle the eight panes in order")
    func paneKeys() {
        for (index, kind) in DashboardSettings.PaneKind.allCases.enumerated() {
            #expect(KeyBindings.action(for: .character(Character(String(index + 1)))) == .togglePane(kind))
        }
    }

    @Test("the footer hints come from the key map")
    func footer() {
        #expect(FooterBar.hints.map(\.key) == ["q", "space", "+/-", "t", "1-8", "z", "?"])
    }

    @Test("a replay's keys: space plays, arrows step, brackets jump a minute, < > change speed, Home End")
    func replayKeys() {
        let expected: [(Key, PlaybackAction)] = [
            (.character(" "), .togglePlay), (.left, .step(-1)), (.right, .step(1)),
            (.character("["), .jump(seconds: -60)), (.character("]"), .jump(seconds: 60)),
            (.character("<"), .changeSpeed(faster: false)), (.character(">"), .changeSpeed(faster: true)),
            (.home, .first), (.end, .last),
        ]
        for (key, action) in expected {
            #expect(KeyBindings.action(for: key, replay: true) == .playback(action))
        }
        #expect(KeyBindings.action(for: .character(" ")) == .toggleFreeze, "live, space still freezes")
        #expect(KeyBindings.action(for: .character("q"), replay: true) == .quit)
        let replayKeys = KeyBindings.replay.flatMap(\.keys)
        #expect(replayKeys.allSatisfy { KeyBindings.action(for: $0, replay: true) != nil })
        #expect(!KeyBindings.replayHelp.contains { $0.action == .scrollToTop }, "Home is the first round there")
        #expect(FooterBar.replayHints.map(\.key) == ["space", "←/→", "[/]", "</>", "q", "t", "1-8", "z", "?"])
    }
}
