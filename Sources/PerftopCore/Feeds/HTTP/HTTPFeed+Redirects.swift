import FoundationEssentials
import NIOHTTP1

// MARK: - Redirects

extension HTTPFeed {
    /// The most redirects one poll follows; a redirect after the last one fails the poll.
    public static let maximumRedirects = 3

    /// The statuses whose `Location` a poll follows: 301, 302, 303, 307 and 308.
    static let redirectStatuses: Set<UInt> = [301, 302, 303, 307, 308]

    /// Where a request goes, as the web defines it: scheme, host and port.
    ///
    /// Configured headers go only to the origin of the endpoint's URL. The scheme and host compare
    /// without regard to case, and a missing port is the scheme's default (80 or 443).
    struct Origin: Hashable {
        var scheme: String
        var host: String
        var port: Int

        /// The origin of `url`, or `nil` when it has no scheme or no host.
        init?(_ url: URL) {
            guard let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased(), !host.isEmpty else {
                return nil
            }
            self.scheme = scheme
            self.host = host
            self.port = url.port ?? (scheme == "https" ? 443 : 80)
        }
    }

    /// The URL a redirect from `current` leads to: its `Location`, resolved against `current`.
    ///
    /// - Throws: ``FeedError`` `redirect to an invalid URL`, `redirect to a scheme other than http or https
    ///   refused`, or `redirect from https to http refused`: what went over TLS never continues in clear
    ///   text.
    static func redirectTarget(location: String, from current: URL) throws(FeedError) -> URL {
        guard let target = URL(string: location, relativeTo: current)?.absoluteURL, let origin = Origin(target) else {
            throw FeedError("redirect to an invalid URL")
        }
        guard origin.scheme == "http" || origin.scheme == "https" else {
            throw FeedError("redirect to a scheme other than http or https refused")
        }
        if current.scheme?.lowercased() == "https", origin.scheme == "http" {
            throw FeedError("redirect from https to http refused")
        }
        return target
    }
}
