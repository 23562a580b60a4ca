// Generated from Themes/*.theme by Themes/embed.py (docs/themes.md, "Adding a theme");
// ThemeBuiltInTests checks that each text below equals its file. Edit the file, then rerun the script.

extension Theme {
    /// The names of the built-in themes, in the order `t` cycles through them.
    public static let builtInNames: [String] = [
        "default",
        "nord",
        "gruvbox-dark",
        "solarized-light",
        "dracula",
        "high-contrast",
    ]

    /// The themes that ship with perftop, in ``builtInNames`` order, `default` first.
    public static let builtIn: [Theme] = Self.builtInNames.map { name in
        // The embedded texts are checked by the tests, so parsing cannot fail here.
        try! Theme(parsing: Self.builtInText[name]!, name: name, fileName: "\(name).theme")
    }

    /// The built-in theme called `name`, or nil.
    public static func builtIn(named name: String) -> Theme? {
        Self.builtIn.first { $0.name == name }
    }

    /// The text of each built-in theme file, by name.
    static let builtInText: [String: String] = [
        "default": #"""
        # perftop theme: default
        # The terminal's own background and text, ANSI-like accents: for dark and light terminals.
        #
        # Format (btop's): theme[key]="#RRGGBB", "#GG" (a grey), "R G B" (decimal) or "" (terminal default).
        # Keys and their fallbacks to btop's keys: docs/themes.md.

        # Screen background and ordinary text: empty keeps the terminal's
        theme[main_bg]=""
        theme[main_fg]=""

        # Pane titles, labels, values and secondary text
        theme[perftop_title]="#00cdcd"
        theme[perftop_label]="#00cdcd"
        theme[perftop_value]=""
        theme[perftop_dim]="#8a8a8a"

        # Health: good, needs attention, bad
        theme[perftop_good]="#00cd00"
        theme[perftop_warning]="#cdcd00"
        theme[perftop_critical]="#cd0000"

        # Table headers and key hints
        theme[perftop_header_fg]="#00"
        theme[perftop_header_bg]="#00cdcd"

        # Pane borders, the focused pane, the selected row
        theme[perftop_border]="#3b5bdb"
        theme[perftop_focused_border]="#00cdcd"
        theme[perftop_selected_fg]="#00"
        theme[perftop_selected_bg]="#00cdcd"

        # Graphs: sparklines, then the low-to-high gradient of meters
        theme[perftop_graph]="#00cd00"
        theme[graph_start]="#00cd00"
        theme[graph_mid]="#cdcd00"
        theme[graph_end]="#cd0000"

        """#,
        "nord": #"""
        # perftop theme: nord
        # Arctic blues on Nord's polar-night background (https://www.nordtheme.com palette).
        #
        # Format (btop's): theme[key]="#RRGGBB", "#GG" (a grey), "R G B" (decimal) or "" (terminal default).
        # Keys and their fallbacks to btop's keys: docs/themes.md.

        # Screen background and ordinary text
        theme[main_bg]="#2e3440"
        theme[main_fg]="#d8dee9"

        # Pane titles, labels, values and secondary text
        theme[perftop_title]="#88c0d0"
        theme[perftop_label]="#81a1c1"
        theme[perftop_value]="#eceff4"
        theme[perftop_dim]="#7b88a1"

        # Health: good, needs attention, bad
        theme[perftop_good]="#a3be8c"
        theme[perftop_warning]="#ebcb8b"
        theme[perftop_critical]="#bf616a"

        # Table headers and key hints
        theme[perftop_header_fg]="#2e3440"
        theme[perftop_header_bg]="#81a1c1"

        # Pane borders, the focused pane, the selected row
        theme[perftop_border]="#4c566a"
        theme[perftop_focused_border]="#88c0d0"
        theme[perftop_selected_fg]="#2e3440"
        theme[perftop_selected_bg]="#88c0d0"

        # Each pane's box
        theme[perftop_cache_box]="#5e81ac"
        theme[perftop_queue_box]="#b48ead"
        theme[perftop_latency_box]="#8fbcbb"
        theme[perftop_memory_box]="#a3be8c"
        theme[perftop_churn_box]="#d08770"
        theme[perftop_tracker_box]="#81a1c1"

        # Graphs: sparklines, then the low-to-high gradient of meters
        theme[perftop_graph]="#88c0d0"
        theme[graph_start]="#a3be8c"
        theme[graph_mid]="#ebcb8b"
        theme[graph_end]="#bf616a"

        """#,
        "gruvbox-dark": #"""
        # perftop theme: gruvbox-dark
        # Gruvbox's warm retro colors on its dark background.
        #
        # Format (btop's): theme[key]="#RRGGBB", "#GG" (a grey), "R G B" (decimal) or "" (terminal default).
        # Keys and their fallbacks to btop's keys: docs/themes.md.

        # Screen background (a grey, written #GG) and ordinary text
        theme[main_bg]="#28"
        theme[main_fg]="#ebdbb2"

        # Pane titles, labels, values and secondary text
        theme[perftop_title]="#fabd2f"
        theme[perftop_label]="#83a598"
        theme[perftop_value]="#fbf1c7"
        theme[perftop_dim]="#928374"

        # Health: good, needs attention, bad
        theme[perftop_good]="#b8bb26"
        theme[perftop_warning]="#fabd2f"
        theme[perftop_critical]="#fb4934"

        # Table headers and key hints
        theme[perftop_header_fg]="#28"
        theme[perftop_header_bg]="#83a598"

        # Pane borders, the focused pane, the selected row
        theme[perftop_border]="#665c54"
        theme[perftop_focused_border]="#fe8019"
        theme[perftop_selected_fg]="#28"
        theme[perftop_selected_bg]="#fabd2f"

        # Each pane's box
        theme[perftop_cache_box]="#83a598"
        theme[perftop_queue_box]="#d3869b"
        theme[perftop_latency_box]="#8ec07c"
        theme[perftop_memory_box]="#b8bb26"
        theme[perftop_churn_box]="#fe8019"
        theme[perftop_tracker_box]="#fabd2f"

        # Graphs: sparklines, then the low-to-high gradient of meters
        theme[perftop_graph]="#8ec07c"
        theme[graph_start]="#b8bb26"
        theme[graph_mid]="#fabd2f"
        theme[graph_end]="#fb4934"

        """#,
        "solarized-light": #"""
        # perftop theme: solarized-light
        # Solarized's accents on its light base3 background (colors written as decimal R G B).
        #
        # Format (btop's): theme[key]="#RRGGBB", "#GG" (a grey), "R G B" (decimal) or "" (terminal default).
        # Keys and their fallbacks to btop's keys: docs/themes.md.

        # Screen background and ordinary text
        theme[main_bg]="253 246 227"
        theme[main_fg]="101 123 131"

        # Pane titles, labels, values and secondary text
        theme[perftop_title]="38 139 210"
        theme[perftop_label]="42 161 152"
        theme[perftop_value]="7 54 66"
        theme[perftop_dim]="147 161 161"

        # Health: good, needs attention, bad
        theme[perftop_good]="133 153 0"
        theme[perftop_warning]="181 137 0"
        theme[perftop_critical]="220 50 47"

        # Table headers and key hints
        theme[perftop_header_fg]="253 246 227"
        theme[perftop_header_bg]="101 123 131"

        # Pane borders, the focused pane, the selected row
        theme[perftop_border]="147 161 161"
        theme[perftop_focused_border]="38 139 210"
        theme[perftop_selected_fg]="253 246 227"
        theme[perftop_selected_bg]="38 139 210"

        # Each pane's box
        theme[perftop_cache_box]="38 139 210"
        theme[perftop_queue_box]="108 113 196"
        theme[perftop_latency_box]="42 161 152"
        theme[perftop_memory_box]="133 153 0"
        theme[perftop_churn_box]="203 75 22"
        theme[perftop_tracker_box]="211 54 130"

        # Graphs: sparklines, then the low-to-high gradient of meters
        theme[perftop_graph]="38 139 210"
        theme[graph_start]="133 153 0"
        theme[graph_mid]="181 137 0"
        theme[graph_end]="220 50 47"

        """#,
        "dracula": #"""
        # perftop theme: dracula
        # Dracula's vivid purples, pinks and greens on its dark background.
        #
        # Format (btop's): theme[key]="#RRGGBB", "#GG" (a grey), "R G B" (decimal) or "" (terminal default).
        # Keys and their fallbacks to btop's keys: docs/themes.md.

        # Screen background and ordinary text
        theme[main_bg]="#282a36"
        theme[main_fg]="#f8f8f2"

        # Pane titles, labels, values and secondary text
        theme[perftop_title]="#bd93f9"
        theme[perftop_label]="#8be9fd"
        theme[perftop_value]="#f8f8f2"
        theme[perftop_dim]="#6272a4"

        # Health: good, needs attention, bad
        theme[perftop_good]="#50fa7b"
        theme[perftop_warning]="#f1fa8c"
        theme[perftop_critical]="#ff5555"

        # Table headers and key hints
        theme[perftop_header_fg]="#282a36"
        theme[perftop_header_bg]="#8be9fd"

        # Pane borders, the focused pane, the selected row
        theme[perftop_border]="#6272a4"
        theme[perftop_focused_border]="#ff79c6"
        theme[perftop_selected_fg]="#282a36"
        theme[perftop_selected_bg]="#bd93f9"

        # Each pane's box
        theme[perftop_cache_box]="#bd93f9"
        theme[perftop_queue_box]="#ff79c6"
        theme[perftop_latency_box]="#8be9fd"
        theme[perftop_memory_box]="#50fa7b"
        theme[perftop_churn_box]="#ffb86c"
        theme[perftop_tracker_box]="#f1fa8c"

        # Graphs: sparklines, then the low-to-high gradient of meters
        theme[perftop_graph]="#8be9fd"
        theme[graph_start]="#50fa7b"
        theme[graph_mid]="#f1fa8c"
        theme[graph_end]="#ff5555"

        """#,
        "high-contrast": #"""
        # perftop theme: high-contrast
        # Pure colors on black, for low vision and bright rooms; exact on 8-color terminals.
        #
        # Format (btop's): theme[key]="#RRGGBB", "#GG" (a grey), "R G B" (decimal) or "" (terminal default).
        # Keys and their fallbacks to btop's keys: docs/themes.md.

        # Screen background and ordinary text
        theme[main_bg]="#00"
        theme[main_fg]="#ff"

        # Pane titles, labels, values and secondary text
        theme[perftop_title]="#ffff00"
        theme[perftop_label]="#00ffff"
        theme[perftop_value]="#ff"
        theme[perftop_dim]="#c0"

        # Health: good, needs attention, bad
        theme[perftop_good]="#00ff00"
        theme[perftop_warning]="#ffff00"
        theme[perftop_critical]="#ff0000"

        # Table headers and key hints
        theme[perftop_header_fg]="#00"
        theme[perftop_header_bg]="#ffff00"

        # Pane borders, the focused pane, the selected row
        theme[perftop_border]="#ff"
        theme[perftop_focused_border]="#ffff00"
        theme[perftop_selected_fg]="#00"
        theme[perftop_selected_bg]="#ff"

        # Graphs: sparklines, then the low-to-high gradient of meters
        theme[perftop_graph]="#00ffff"
        theme[graph_start]="#00ff00"
        theme[graph_mid]="#ffff00"
        theme[graph_end]="#ff0000"

        """#,
    ]
}
