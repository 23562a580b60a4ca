import Foundation
import Testing

@testable import PerftopTUI

@Suite("Built-in themes")
struct ThemeBuiltInTests {
    /// The repository's Themes/ folder, found from this file's path.
    private static let themesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Themes")

    private static func themeFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: self.themesDirectory.path)
            .filter { $0.hasSuffix(".theme") }.map { String($0.dropLast(".theme".count)) }.sorted()
    }

    @Test("there are at least six, and one is embedded for each file in Themes/")
    func everyFileEmbedded() throws {
        let files = try Self.themeFiles()
        #expect(files.count >= 6)
        #expect(Set(files) == Set(Theme.builtInNames))
        #expect(Theme.builtInNames.first == "default")
        #expect(Theme.builtIn.map(\.name) == Theme.builtInNames)
    }

    @Test("each embedded text equals its file in Themes/", arguments: Theme.builtInNames)
    func embeddedTextMatchesFile(name: String) throws {
        let file = try String(
            contentsOf: Self.themesDirectory.appendingPathComponent("\(name).theme"),
            encoding: .utf8
        )
        #expect(Theme.builtInText[name] == file, "run python3 Themes/embed.py (docs/themes.md)")
    }

    @Test("each file in Themes/ parses and colors every style", arguments: Theme.builtInNames)
    func fileParses(name: String) throws {
        let path = Self.themesDirectory.appendingPathComponent("\(name).theme").path
        let theme = try Theme.load(path: path)
        #expect(theme == Theme.builtIn(named: name))
        let terminalDefaults: Set<Style> = name == "default" ? [.normal, .value] : []
        for style in Style.allCases where !terminalDefaults.contains(style) {
            #expect(theme.foreground(for: style) != nil, "\(name): no color for \(style)")
        }
        #expect(theme.background(for: .selected) != nil)
        #expect(theme.background(for: .header) != nil)
    }

    @Test("every key of a built-in theme is one perftop reads", arguments: Theme.builtInNames)
    func keysAreKnown(name: String) throws {
        let text = try #require(Theme.builtInText[name])
        let keys = text.split(separator: "\n").filter { $0.hasPrefix("theme[") }
            .map { $0.dropFirst(6).prefix { $0 != "]" } }
        for key in keys {
            #expect(Theme.knownKeys.contains(String(key)), "\(name): unknown key \(key)")
        }
    }

    @Test("t cycles through the chosen theme first, then the other built-ins")
    func cycle() throws {
        let nord = try #require(Theme.builtIn(named: "nord"))
        let cycle = Theme.cycle(startingWith: nord)
        #expect(cycle.map(\.name) == ["nord"] + Theme.builtInNames.filter { $0 != "nord" })
        let custom = Theme(name: "/tmp/mine.theme")
        #expect(Theme.cycle(startingWith: custom).count == Theme.builtIn.count + 1)
    }

    @Test("--theme finds built-in names, user theme files by name, and paths; unknown names list the others")
    func lookup() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("perftop-home-\(UUID())")
        let themes = home.appendingPathComponent("perftop/themes")
        try FileManager.default.createDirectory(at: themes, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        try Data("theme[title]=\"#010203\"\n".utf8).write(to: themes.appendingPathComponent("mine.theme"))
        let environment = ["XDG_CONFIG_HOME": home.path, "HOME": "/nonexistent"]
        #expect(try Theme.named("dracula", environment: environment).name == "dracula")
        let mine = try Theme.named("mine", environment: environment)
        #expect(mine.name == "mine")
        #expect(mine.foreground(for: .title) == RGB(1, 2, 3))
        let path = themes.appendingPathComponent("mine.theme").path
        #expect(try Theme.named(path, environment: environment).name == path)
        #expect(Theme.availableNames(environment: environment) == Theme.builtInNames + ["mine"])
        do {
            _ = try Theme.named("nope", environment: environment)
            Issue.record("an unknown theme name was accepted")
        } catch {
            #expect(error.description.hasPrefix("nope: unknown theme (available: default, nord,"))
            #expect(error.description.contains("mine"))
        }
    }

    @Test("a name is also looked up in PREFIX/share/perftop/themes of an installed perftop, after the user's own")
    func installedLookup() throws {
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("perftop-prefix-\(UUID())")
        let installed = prefix.appendingPathComponent("share/perftop/themes")
        let user = prefix.appendingPathComponent("config/perftop/themes")
        try FileManager.default.createDirectory(at: installed, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: user, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: prefix) }
        try Data("theme[title]=\"#010203\"\n".utf8).write(to: installed.appendingPathComponent("site.theme"))
        try Data("theme[title]=\"#040506\"\n".utf8).write(to: installed.appendingPathComponent("both.theme"))
        try Data("theme[title]=\"#070809\"\n".utf8).write(to: user.appendingPathComponent("both.theme"))
        let environment = ["XDG_CONFIG_HOME": prefix.appendingPathComponent("config").path]
        let executable = prefix.appendingPathComponent("bin/perftop").path
        let site = try Theme.named("site", environment: environment, executablePath: executable)
        #expect(site.foreground(for: .title) == RGB(1, 2, 3))
        let both = try Theme.named("both", environment: environment, executablePath: executable)
        #expect(both.foreground(for: .title) == RGB(7, 8, 9), "the user's own file wins")
        #expect(
            Theme.availableNames(environment: environment, executablePath: executable)
                == Theme.builtInNames + ["both", "site"]
        )
        #expect(throws: ThemeError.self) {
            try Theme.named("site", environment: environment, executablePath: "/elsewhere/bin/perftop")
        }
    }
}
