#!/usr/bin/env python3
"""Rewrites Sources/PerftopTUI/Theme/Theme+BuiltIn.swift from the .theme files here (docs/themes.md).

Run from anywhere: python3 Themes/embed.py. The order of NAMES is the order `t` cycles through.
"""
import pathlib

NAMES = ["default", "nord", "gruvbox-dark", "solarized-light", "dracula", "high-contrast"]

root = pathlib.Path(__file__).resolve().parent.parent
out = '''// Generated from Themes/*.theme by Themes/embed.py (docs/themes.md, "Adding a theme");
// ThemeBuiltInTests checks that each text below equals its file. Edit the file, then rerun the script.

extension Theme {
    /// The names of the built-in themes, in the order `t` cycles through them.
    public static let builtInNames: [String] = [
%s
    ]

    /// The themes that ship with perftop, in ``builtInNames`` order, `default` first.
    public static let builtIn: [Theme] = Self.builtInNames.map { name in
        // The embedded texts are checked by the tests, so parsing cannot fail here.
        try! Theme(parsing: Self.builtInText[name]!, name: name, fileName: "\\(name).theme")
    }

    /// The built-in theme called `name`, or nil.
    public static func builtIn(named name: String) -> Theme? {
        Self.builtIn.first { $0.name == name }
    }

    /// The text of each built-in theme file, by name.
    static let builtInText: [String: String] = [
''' % "\n".join('        "%s",' % name for name in NAMES)
for name in NAMES:
    text = (root / "Themes" / f"{name}.theme").read_text()
    assert text.endswith("\n"), f"{name}.theme must end with a newline"
    body = "\n".join(("        " + line) if line else "" for line in text.split("\n")[:-1])
    out += f'        "{name}": #"""\n{body}\n\n        """#,\n'
out += "    ]\n}\n"
(root / "Sources/PerftopTUI/Theme/Theme+BuiltIn.swift").write_text(out)
