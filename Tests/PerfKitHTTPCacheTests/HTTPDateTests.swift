import Testing

@testable import PerfKitHTTPCache

@Suite("HTTPDate (IMF-fixdate) parsing")
struct HTTPDateTests {
    @Test("IMF-fixdate dates as seconds since the epoch")
    func fixdate() {
        #expect(HTTPDate.secondsSinceEpoch("Thu, 01 Jan 1970 00:00:00 GMT") == 0)
        #expect(HTTPDate.secondsSinceEpoch("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
        #expect(HTTPDate.secondsSinceEpoch("Tue, 29 Feb 2000 12:00:00 GMT") == 951_825_600)
    }

    @Test(
        "Obsolete formats and malformed dates are not read",
        arguments: [
            "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT", "0", "",
        ]
    )
    func invalid(_ text: String) {
        #expect(HTTPDate.secondsSinceEpoch(text) == nil)
    }
}
