import NIOHTTP1
import PerfKitHTTPCache
import Testing

@Suite("CacheControl parsing")
struct CacheControlTests {
    @Test("Directives, whatever their case and spacing")
    func directives() {
        let control = CacheControl(" Max-Age=60 ,NO-CACHE, private,public , must-revalidate,no-store, s-maxage=30")
        #expect(
            control
                == CacheControl(
                    maxAge: 60,
                    sharedMaxAge: 30,
                    noStore: true,
                    noCache: true,
                    isPrivate: true,
                    isPublic: true,
                    mustRevalidate: true
                )
        )
    }

    @Test("Every Cache-Control line counts")
    func severalLines() {
        let headers = HTTPHeaders([("Cache-Control", "max-age=5"), ("Cache-Control", "no-cache")])
        #expect(CacheControl(headers: headers) == CacheControl(maxAge: 5, noCache: true))
    }

    @Test("A quoted argument is read; a comma inside quotes does not split")
    func quoted() {
        #expect(CacheControl(#"max-age="20""#).maxAge == 20)
        #expect(CacheControl(#"no-cache="Set-Cookie, X-Foo", max-age=3"#) == CacheControl(maxAge: 3, noCache: true))
    }

    @Test(
        "A max-age that is not a number, or given twice differently, means stale",
        arguments: [
            "max-age=abc", "max-age=", "max-age", "max-age=-5", "max-age=10, max-age=20",
        ]
    )
    func invalidMaxAge(_ value: String) {
        #expect(CacheControl(value).maxAge == 0)
    }

    @Test("A huge max-age is cut to 2^31 seconds")
    func hugeMaxAge() {
        #expect(CacheControl("max-age=99999999999999999999999").maxAge == 2_147_483_648)
    }

    @Test("Unknown directives and empty entries are ignored")
    func unknown() {
        #expect(CacheControl("immutable, , stale-while-revalidate=30") == CacheControl())
    }
}
