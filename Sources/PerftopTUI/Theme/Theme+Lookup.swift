import FoundationEssentials
import PerftopCore

// MARK: - Finding a theme by name or path

extension Theme {
    /// The theme `--theme` or the config names: a built-in name, a name in the user's theme
    /// directory (`<config directory>/themes/NAME.theme`, see ``ConfigLocation``) or in the installed
    /// one (`<prefix>/share/perftop/themes`), or a file path (anything with a `/` or ending in
    /// `.theme`; the theme is then named by that path).
    ///
    /// - Parameters:
    ///   - nameOrPath: what the user wrote.
    ///   - environment: the process environment, for the config directory.
    ///   - executablePath: the perftop whose installed themes count; the running one by default.
    /// - Throws: ``ThemeError`` when the file is missing or malformed, or the name is unknown; the
    ///   message then lists the available names.
    public static func named(
        _ nameOrPath: String,
        environment: [String: String],
        executablePath: String? = ConfigLocation.executablePath
    ) throws(ThemeError) -> Theme {
        if let theme = self.builtIn(named: nameOrPath) {
            return theme
        }
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".theme") {
            // Named by its path, so the config saves a name that finds the file again.
            var theme = try self.load(path: nameOrPath)
            theme.name = nameOrPath
            return theme
        }
        for directory in ConfigLocation.themeDirectories(environment: environment, executablePath: executablePath) {
            let path = directory + "/" + nameOrPath + ".theme"
            if FileManager.default.fileExists(atPath: path) {
                return try self.load(path: path)
            }
        }
        let available = self.availableNames(environment: environment, executablePath: executablePath)
            .joined(separator: ", ")
        throw ThemeError("unknown theme (available: \(available); or give a .theme file path)", file: nameOrPath)
    }

    /// The built-in names, then the names of the `.theme` files in the user's theme directory and
    /// the installed one, each name once.
    public static func availableNames(
        environment: [String: String],
        executablePath: String? = ConfigLocation.executablePath
    ) -> [String] {
        var names = self.builtInNames
        for directory in ConfigLocation.themeDirectories(environment: environment, executablePath: executablePath) {
            guard let files = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
                continue
            }
            names += files.filter { $0.hasSuffix(".theme") }.map { String($0.dropLast(".theme".count)) }.sorted()
                .filter { !names.contains($0) }
        }
        return names
    }

    /// The themes `t` cycles through: `current` first, then the built-ins (other than it).
    public static func cycle(startingWith current: Theme) -> [Theme] {
        [current] + self.builtIn.filter { $0.name != current.name }
    }
}
