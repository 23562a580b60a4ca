import Foundation
import PerfKit
import Testing

@testable import PerftopCore

@Suite("TrackerReport")
struct TrackerReportTests {
    /// A tracker whose names and notes carry an OSC 52 clipboard write, a C1 CSI, a bidi override
    /// and a spreadsheet formula, as a hostile or careless tracker file can.
    static func hostileEvaluation() throws -> TrackerEvaluation {
        let tracker = Tracker(
            title: "T\u{1B}]0;owned\u{7}",
            targets: [
                TrackerTarget(
                    name: "=HYPERLINK(\"http://x\")\u{1B}]52;c;eA==\u{7}",
                    section: "s\u{9B}2J",
                    goal: try TrackerGoal(parsing: "< 1s"),
                    owner: "@me\u{202E}",
                    notes: "n\u{2066}"
                )
            ]
        )
        return TrackerEvaluator(window: .seconds(60)).evaluate(tracker, store: SeriesStore(retention: 10))
    }

    @Test("no format writes a control, C1, bidi or format character raw", arguments: TrackerReport.Format.allCases)
    func noRawControls(format: TrackerReport.Format) throws {
        let output = TrackerReport.render(try Self.hostileEvaluation(), format: format)
        #expect(!output.isEmpty)
        #expect(!output.unicodeScalars.contains { $0 != "\n" && SafeText.isUnsafe($0) }, "\(output)")
    }

    @Test("CSV cells that would start a formula start with a quote instead")
    func csvFormula() throws {
        let csv = TrackerReport.render(try Self.hostileEvaluation(), format: .csv).split(separator: "\n")
        #expect(csv.count == 2)
        #expect(csv[1].hasPrefix(#"s\u{9B}2J,"'=HYPERLINK(""http://x"")\u{1B}]52;c;eA==\u{7}",unbound,"#))
        #expect(csv[1].contains(#",'@me\u{202E},"#))
    }

    @Test("JSON keeps the text exactly, escaped")
    func jsonRoundTrip() throws {
        let json = TrackerReport.render(try Self.hostileEvaluation(), format: .json)
        let object = try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let targets = try #require(object["targets"] as? [[String: Any]])
        #expect(targets.first?["name"] as? String == "=HYPERLINK(\"http://x\")\u{1B}]52;c;eA==\u{7}")
        #expect(targets.first?["owner"] as? String == "@me\u{202E}")
    }
}
