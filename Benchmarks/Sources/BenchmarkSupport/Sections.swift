import Foundation

/// The sections a benchmark program was asked to run: those named on the command line, or all of
/// them when none is named. An unknown name prints the known ones and exits with status 64.
public func selectedSections<Section: CaseIterable & RawRepresentable>(
    of program: String,
    _ type: Section.Type = Section.self
) -> [Section] where Section.RawValue == String {
    let arguments = CommandLine.arguments.dropFirst()
    guard !arguments.isEmpty else {
        return Array(Section.allCases)
    }
    let sections = arguments.compactMap(Section.init(rawValue:))
    guard sections.count == arguments.count else {
        let known = Section.allCases.map(\.rawValue).joined(separator: ", ")
        print("\(program): unknown section in \(arguments.joined(separator: " ")); known: \(known)")
        exit(64)
    }
    return sections
}
