import Testing

@testable import PerftopCore

/// ``TOMLSyntax``: the TOML 1.0 grammar, checked before TOMLKit's parser (which aborts on some malformed text) reads.
@Suite struct TOMLSyntaxTests {
    private static func failure(_ text: String) -> TOMLSyntax.Failure? {
        do {
            try TOMLSyntax.check(text)
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
        // toml++ 3.4.0 asserted (and aborted the process) on these four, found by Fuzz/FuzzConfig and
        // Fuzz/FuzzTrackerTOML.
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
        #expect(Self.failure(text) == TOMLSyntax.Failure(message: message, line: line))
    }
}
