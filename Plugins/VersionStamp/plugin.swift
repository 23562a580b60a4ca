import Foundation
import PackagePlugin

/// Writes `BuildInfo.swift` into the target it is applied to: the commit of the checkout being
/// built, so that `perftop --version` says which source it came from.
///
/// The command reruns when the checkout's HEAD moves: its inputs are `.git/HEAD` and `.git/logs/HEAD`
/// (appended to by every commit, checkout and reset). Outside a git checkout the commit is `unknown`.
@main
struct VersionStamp: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let package = context.package.directoryURL
        let output = context.pluginWorkDirectoryURL.appending(path: "BuildInfo.swift")
        let git = package.appending(path: ".git")
        let inputs = [git.appending(path: "HEAD"), git.appending(path: "logs/HEAD"), git].filter {
            FileManager.default.fileExists(atPath: $0.path(percentEncoded: false))
        }
        return [
            .buildCommand(
                displayName: "Stamping the build with its commit",
                executable: try context.tool(named: "VersionStampTool").url,
                arguments: [package.path(percentEncoded: false), output.path(percentEncoded: false)],
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }
}
