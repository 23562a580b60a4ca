import FoundationEssentials
import PerftopCore

// MARK: - Finding a theme by name or path

extension Theme {
    /// The theme `--theme` or the config names: a built-in name, a name in the user's theme
    /// directory (`<config directory>/themes/NAME.theme`, see ``ConfigLocation``), or a file path
    /// (anything with a `/` or ending in `.theme`; the theme is then named by that path).
    ///
    /// - Parameters:
    ///   - nameOrPath: what the user wrote.
    ///   - environment: the process environment, for the config directory.
    /// - Throws: ``ThemeError`` when the file is missing or malformed, or the name is unknown; the
    ///   message then lists the available names.
    public static func named(_ nameOrPath: String, environment: [String: String]) throws(ThemeError) -> Theme {
        if let theme = self.builtIn(named: nameOrPath) {
            return theme
        }
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".theme") {
            // Named by its path, so the config saves a name that finds the file again.
            var theme = try self.load(path: nameOrPath)
            theme.name = nameOrPath
            return theme
        }
        if let directory = ConfigLocation.themeDirectory(environment: environment) {
            let path = directory + "/" + nameOrPath + ".theme"
            if FileManager.default.fileExists(atPath: path) {
                return try self.load(path: path)
            }
        }
        let available = self.availableNames(environment: environment).joined(separator: ", ")
        throw ThemeError("unknown theme (available: \(available); or give a .theme file path)", file: nameOrPath)
    }

    /// The built-in names, then the names of the `.theme` files in the user's theme directory.
    public static func availableNames(environment: [String: String]) -> [String] {
        var names = self.builtInNames
        if let directory = ConfigLocation.themeDirectory(environment: environment),
            let files = try? FileManager.default.contentsOfDirectory(atPath: directory)
        {
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
