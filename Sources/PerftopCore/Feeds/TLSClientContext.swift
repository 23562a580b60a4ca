import NIOCore
import NIOSSL
import PerfKit
import Synchronization

/// The client TLS context of a feed's connections, made on first use: loading the system's roots
/// costs milliseconds, and a run that never connects over TLS never needs it.
///
/// Every connection verifies the server's chain and name: a host name is sent (SNI) and checked
/// against the certificate, an IP literal is checked against the peer's address.
final class TLSClientContext: Sendable {
    private let configuration: TLSConfiguration
    private let made = Mutex<NIOSSLContext?>(nil)

    /// A context for `configuration`; nothing is loaded before the first connection.
    init(configuration: TLSConfiguration) {
        self.configuration = configuration
    }

    /// A client configuration that verifies the chain and the host name against `trustRoots` (the
    /// certificates of `--ca-file`), or the system's roots without them.
    static func configuration(trustRoots: HTTPFeed.TrustRoots?) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let trustRoots {
            configuration.trustRoots = .certificates(trustRoots.certificates)
        }
        return configuration
    }

    /// The context, made the first time it is asked for.
    ///
    /// - Throws: NIOSSL's error when the configuration cannot be loaded (e.g. a bad trust root).
    func context() throws -> NIOSSLContext {
        try self.made.withLockedValue { made in
            if let made {
                return made
            }
            let context = try NIOSSLContext(configuration: self.configuration)
            made = context
            return context
        }
    }

    /// Adds the TLS handler for a connection to `host` to `channel`'s pipeline, last while setting the
    /// channel up, or first to start TLS on a connection already in use; call it on the channel's
    /// event loop.
    static func addHandler(
        _ context: NIOSSLContext,
        host: String,
        to channel: any Channel,
        position: ChannelPipeline.SynchronousOperations.Position = .last
    ) throws {
        // An IP address is not a server name (SNI): NIOSSL then checks the certificate against the
        // peer's address.
        let isAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
        let handler = try NIOSSLClientHandler(context: context, serverHostname: isAddress ? nil : host)
        try channel.pipeline.syncOperations.addHandler(handler, position: position)
    }
}
