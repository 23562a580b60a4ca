import Testing

@testable import PerftopCore

@Suite("TOMLLineEditor")
struct TOMLLineEditorTests {
    static let tracker = """
        # perf goals, owned by the platform team
        title = "Q3"

        [[target]]
        name = "p95"   # the one that matters
        notes = \"\"\"
        [[target]]
        baseline = 1
        \"\"\"
        goal = "< 50ms"

        # memory, see the runbook
        [[target]]
        name = "memory"
        baseline = 900 # old
        columns = [
            ["Owner", "ops"],
        ]

        [other]
        baseline = 3
        """

    @Test("keys are bare or quoted; comments and headers are not keys")
    func keys() {
        #expect(TOMLLineEditor.key(of: "  \"theme\" = 'x'") == "theme")
        #expect(TOMLLineEditor.key(of: "theme=1") == "theme")
        #expect(TOMLLineEditor.key(of: "# theme = 1") == nil)
        #expect(TOMLLineEditor.key(of: "[sources]") == nil)
    }

    @Test("a key in an array element is replaced in place; everything else stays as written")
    func replaceInElement() {
        var editor = TOMLLineEditor(Self.tracker)
        let changed = editor.set("baseline", to: "812.5", in: .arrayElement(name: "target", index: 1))
        #expect(changed)
        #expect(editor.text == Self.tracker.replacingOccurrences(of: "baseline = 900 # old", with: "baseline = 812.5"))
    }

    @Test("a new key goes after the element's last key, never into a multi-line string")
    func insertInElement() {
        var editor = TOMLLineEditor(Self.tracker)
        let changed = editor.set("baseline", to: "0.04", in: .arrayElement(name: "target", index: 0))
        #expect(changed)
        let lines = editor.lines
        let goal = lines.firstIndex(of: "goal = \"< 50ms\"")
        #expect(goal.map { lines[$0 + 1] } == "baseline = 0.04")
        #expect(lines.contains("baseline = 1"))
        #expect(lines.filter { $0.hasPrefix("baseline") }.count == 4)
    }

    @Test("a new key goes after the last of the keys named to precede it, after a multi-line value whole")
    func insertAfterKeys() {
        var editor = TOMLLineEditor(Self.tracker)
        editor.set("metric", to: "'x'", in: .arrayElement(name: "target", index: 0), after: ["name", "notes"])
        editor.set("statistic", to: "\"p95\"", in: .arrayElement(name: "target", index: 1), after: ["name"])
        let lines = editor.lines
        let notesEnd = lines.firstIndex(of: "goal = \"< 50ms\"").map { $0 - 1 }
        #expect(notesEnd.map { lines[$0] } == "metric = 'x'", "after the closing quotes of notes")
        let memory = lines.firstIndex(of: "name = \"memory\"")
        #expect(memory.map { lines[$0 + 1] } == "statistic = \"p95\"")
        #expect(lines.count == Self.tracker.split(separator: "\n", omittingEmptySubsequences: false).count + 2)
    }

    @Test("an element the document does not have changes nothing")
    func missingElement() {
        var editor = TOMLLineEditor(Self.tracker)
        let changed = editor.set("baseline", to: "1", in: .arrayElement(name: "target", index: 2))
        #expect(!changed)
        #expect(editor.text == Self.tracker)
    }

    @Test("a top-level key is replaced with its multi-line value, or added before the first table")
    func root() {
        var editor = TOMLLineEditor("# settings\npanes = [\n  \"a\",\n]\n\n[sources]\npids = [1]\n")
        editor.set("panes", to: "[\"b\"]")
        editor.set("theme", to: "\"nord\"")
        #expect(editor.text == "# settings\npanes = [\"b\"]\ntheme = \"nord\"\n\n[sources]\npids = [1]\n")
        var comments = TOMLLineEditor("# only a comment\n\n[sources]\n")
        comments.set("interval", to: "2")
        #expect(comments.text == "# only a comment\ninterval = 2\n\n[sources]\n")
    }
}
