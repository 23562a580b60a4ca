import Testing

@testable import PerftopCore

/// ``TOMLParser``: the TOML 1.0 grammar, the values it spells and the rules on defining keys and tables.
@Suite struct TOMLParserTests {
    private static func failure(_ text: String) -> TOMLParser.Failure? {
        do {
            _ = try TOMLParser.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        // Strings of the four kinds, with every escape and the awkward quotes of multi-line strings.
        #"s = "tab\t quote\" backslash\\ \b\f\n\r \u00e9 \U0001F600""#,
        #"s = 'C:\Users\nodejs'"#,
        "s = \"\"\"\nline one\n  \"quoted\" \"\"a\"\" \\\n   continued\"\"\"\"",
        "s = '''\nno \\escape\nhere'''''",
        #"s = """#,
        // Numbers.
        "n = [+99, -17, 0, -0, 1_000, 0xDEAD_beef, 0o755, 0b1101, 9_223_372_036_854_775_807]",
        "f = [+1.0, 3.1415, -0.01, 5e+22, 1e06, -2E-2, 6.626e-34, 224_617.445_991, inf, -inf, +nan, 0.0]",
        // Dates and times.
        "d = [1979-05-27T07:32:00Z, 1979-05-27T00:32:00-07:00, 1979-05-27 07:32:00.999999z, 1979-05-27T07:32:00]",
        "d = [1979-05-27, 07:32:00, 00:32:00.999999, 2024-02-29, 1990-12-31T23:59:60Z]",
        // Keys, tables, arrays and inline tables.
        "bare_key-1 = 1\n\"quoted key\" = 2\n'literal' = 3\na . \"b\" . c = 4\n\"\" = 5",
        "[table]\n[ a . b ]  # a comment\n[[array]]\n[[ 'x' . y ]]",
        "a = [\n  1, # one\n  [2, [3]],\n  { x = 1, y = { z = [4,\n 5] } },\n]\nb = {}\nc = []",
        "\u{FEFF}# a byte order mark first\r\nkey = true\r\nother = false\r\n",
    ])
    func acceptsTOML(text: String) {
        #expect(Self.failure(text) == nil)
    }

    @Test(arguments: [
        // toml++ 3.4.0 (inside TOMLKit, which perftop used before) asserted, and so aborted the process, on
        // these four, found by Fuzz/FuzzConfig and Fuzz/FuzzTrackerTOML.
        ("[\n", 1, "expected a key in the table header, found the end of the line"),
        ("a = 1\n[[=", 2, "expected a key in the table header, found '='"),
        ("i=[}", 1, "expected a value, found '}'"),
        ("r=2026-11-23T:", 1, "'2026-11-23T:' is not a TOML value"),
        // And what the grammar refuses otherwise.
        ("a = 1 b = 2", 1, "expected the end of the line, found 'b'"),
        ("a = \"x", 1, "unterminated string"),
        ("a = \"\\x\"", 1, "invalid escape '\\x'"),
        ("a = \"\\ud800\"", 1, "invalid \\u escape: expected 4 hex digits of a Unicode scalar"),
        ("a = \"tab\tok but not \u{01}\"", 1, "control character in a string (write it as an escape)"),
        ("a = '''x''''''", 1, "too many quotes at the end of a multi-line string"),
        ("\"\"\"k\"\"\" = 1", 1, "a key cannot be a multi-line string"),
        ("a = 01", 1, "'01' is not a TOML value"),
        ("a = 1__0", 1, "'1__0' is not a TOML value"),
        ("a = 9223372036854775808", 1, "'9223372036854775808' is not a TOML value"),
        ("a = +0x10", 1, "'+0x10' is not a TOML value"),
        ("a = 1.", 1, "'1.' is not a TOML value"),
        ("a = 2023-02-29", 1, "'2023-02-29' is not a TOML value"),
        ("a = 24:00:00", 1, "'24:00:00' is not a TOML value"),
        ("a = { x = 1, }", 1, "expected a key in the key-value pair, found '}'"),
        ("a = { x = 1\n}", 1, "expected ',' or '}' in an inline table, found the end of the line"),
        ("a = [1 2]", 1, "expected ',' or ']' in an array, found '2'"),
        ("a = tru", 1, "expected a value, found 't'"),
        ("# bell \u{07}", 1, "control character in a comment"),
        ("a = 1\r", 1, "a carriage return must be followed by a line feed"),
        ("[a]]", 1, "expected the end of the line, found ']'"),
        ("[[a] ]", 1, "expected ']]' to close the table header"),
        ("\n\n= 1", 3, "expected a key in the key-value pair, found '='"),
        ("a = \"\"\"\n\n\n", 4, "unterminated multi-line string"),
        (String(repeating: "[", count: 65), 1, "expected a key in the table header, found '['"),
        ("a = " + String(repeating: "[", count: 65), 1, "arrays and inline tables nested more than 64 deep"),
    ])
    func refusesWhatTOMLDoes(text: String, line: Int, message: String) {
        #expect(Self.failure(text) == TOMLParser.Failure(message: message, line: line))
    }

    // MARK: Values

    private static func value(_ text: String, _ key: String = "v") throws -> TOMLValue? {
        try TOMLParser.parse(text)[key]
    }

    @Test func readsStringsWithTheirEscapesAndLineRules() throws {
        #expect(
            try Self.value(#"v = "tab\t quote\" \\ \b\f\n\r \u00e9 \U0001F600""#)
                == .string("tab\t quote\" \\ \u{08}\u{0C}\n\r é 😀")
        )
        #expect(try Self.value(#"v = 'C:\Users\nodejs'"#) == .string(#"C:\Users\nodejs"#))
        // The line break right after the opening quotes is dropped; a line-ending backslash joins lines.
        #expect(
            try Self.value("v = \"\"\"\none\n  \"two\" \\\n     three\"\"\"\"") == .string("one\n  \"two\" three\"")
        )
        #expect(try Self.value("v = '''\r\nno \\escape\r\nhere'''''") == .string("no \\escape\nhere''"))
        #expect(try Self.value("v = \"nul\\u0000kept\"") == .string("nul\u{0}kept"))
    }

    @Test func readsNumbers() throws {
        #expect(
            try Self.value("v = [+99, -17, 0, -0, 1_000, 0xDEAD_beef, 0o755, 0b1101]")
                == .array([
                    .integer(99), .integer(-17), .integer(0), .integer(0), .integer(1000), .integer(0xDEAD_BEEF),
                    .integer(0o755), .integer(0b1101),
                ])
        )
        #expect(try Self.value("v = 9_223_372_036_854_775_807") == .integer(Int.max))
        #expect(
            try Self.value("v = [+1.0, -0.01, 5e+22, 1e06, -2E-2, 224_617.445_991, inf, -inf]")
                == .array([
                    .float(1), .float(-0.01), .float(5e22), .float(1e6), .float(-0.02), .float(224_617.445_991),
                    .float(.infinity), .float(-.infinity),
                ])
        )
        #expect(try Self.value("v = -nan")?.double?.isNaN == true)
        #expect(try Self.value("v = 1")?.double == nil)
    }

    @Test func readsDatesAndTimes() throws {
        let date = TOMLDate(year: 1979, month: 5, day: 27)
        #expect(try Self.value("v = 1979-05-27") == .date(date))
        #expect(
            try Self.value("v = 07:32:00.5") == .time(TOMLTime(hour: 7, minute: 32, second: 0, nanosecond: 500_000_000))
        )
        let time = TOMLTime(hour: 0, minute: 32, second: 0, nanosecond: 0)
        #expect(
            try Self.value("v = 1979-05-27T00:32:00-07:00")
                == .dateTime(TOMLDateTime(date: date, time: time, offsetMinutes: -420))
        )
        #expect(
            try Self.value("v = 1979-05-27 00:32:00Z")
                == .dateTime(TOMLDateTime(date: date, time: time, offsetMinutes: 0))
        )
        #expect(
            try Self.value("v = 1979-05-27T00:32:00")
                == .dateTime(TOMLDateTime(date: date, time: time, offsetMinutes: nil))
        )
        #expect(try Self.value("v = 1979-05-27T00:32:00+05:30")?.description == "1979-05-27T00:32:00+05:30")
    }

    @Test func buildsTablesFromHeadersDottedKeysAndArraysOfTables() throws {
        let table = try TOMLParser.parse(
            """
            title = "t"
            site."google.com" = true
            [fruit]
            apple.color = "red"
            apple.taste.sweet = true
            [fruit.apple.texture]
            smooth = true
            [[target]]
            name = "a"
            [target.extra]
            x = 1
            [[target]]
            name = "b"
            [x.y.z]
            [x]
            w = { p = 1, q.r = [2] }
            """
        )
        #expect(table.keys == ["title", "site", "fruit", "target", "x"])
        #expect(table["site"]?.table?["google.com"] == .boolean(true))
        let apple = table["fruit"]?.table?["apple"]?.table
        #expect(apple?.keys == ["color", "taste", "texture"])
        #expect(apple?["texture"]?.table?["smooth"] == .boolean(true))
        let targets = table["target"]?.array?.compactMap(\.table)
        #expect(targets?.map { $0["name"] } == [.string("a"), .string("b")])
        #expect(targets?.first?["extra"]?.table?["x"] == .integer(1))
        #expect(table["x"]?.table?.keys == ["y", "w"])
        #expect(table["x"]?.table?["w"]?.description == "{ p = 1, q = { r = [2] } }")
    }

    @Test(arguments: [
        ("a = 1\na = 2", 2, "a is defined twice"),
        ("a.b = 1\na.b.c = 2", 2, "a.b is already defined, so a.b.c cannot be added to it"),
        ("[a]\n[a]", 2, "table [a] is defined twice"),
        ("[a]\nb = 1\n[a.b]", 3, "a.b is already a value"),
        ("[fruit]\napple.color = \"red\"\n[fruit.apple]", 3, "table [fruit.apple] is defined twice"),
        ("[a.b.c]\n[a]\nb.c.t = 1", 3, "b is already defined, so b.c.t cannot be added to it"),
        ("a = { b = 1 }\n[a.c]", 2, "a is already a value, so [a.c] cannot be a table in it"),
        ("a = [1]\n[[a]]", 2, "a is already a value"),
        ("[a]\n[[a]]", 2, "a is already a table, so [[a]] cannot add to it"),
        ("[[a]]\n[a]", 2, "table [a] is defined twice"),
        ("a = { b = 1, b = 2 }", 1, "b is defined twice"),
        ("\"a b\".c = 1\n\"a b\".c = 2", 2, "\"a b\".c is defined twice"),
    ])
    func refusesKeysAndTablesDefinedTwice(text: String, line: Int, message: String) {
        #expect(Self.failure(text) == TOMLParser.Failure(message: message, line: line))
    }
}
