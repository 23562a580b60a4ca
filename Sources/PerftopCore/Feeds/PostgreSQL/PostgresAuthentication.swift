import FoundationEssentials

/// The password exchanges of a PostgreSQL login: clear text, `md5`, and SCRAM-SHA-256 (RFC 5802 and
/// RFC 7677, without channel binding), the server's default since PostgreSQL 14.
///
/// The password is used as given (no SASLprep normalisation), which matches what the server stored
/// for any ASCII password.
struct PostgresAuthentication {
    /// The most PBKDF2 iterations a server may ask for: PostgreSQL's default is 4,096; a hostile
    /// server must not make a poll compute for minutes.
    static let maximumIterations = 1_000_000

    let user: String
    let password: String?

    /// Why a login cannot go on.
    struct Failure: Error, Equatable, CustomStringConvertible {
        let description: String
    }

    // MARK: - Clear text and md5

    /// The `PasswordMessage` for a clear-text password request (3).
    func clearText() throws(Failure) -> [UInt8] {
        PostgresWire.message("p", Array(try self.requirePassword().utf8) + [0])
    }

    /// The `PasswordMessage` for an MD5 request (5) with the server's 4-byte `salt`:
    /// `md5` + hex(md5(hex(md5(password + user)) + salt)).
    func md5(salt: ArraySlice<UInt8>) throws(Failure) -> [UInt8] {
        let inner = Self.hex(Digest.md5(Array((try self.requirePassword() + self.user).utf8)))
        let outer = Self.hex(Digest.md5(Array(inner.utf8) + Array(salt)))
        return PostgresWire.message("p", Array(("md5" + outer).utf8) + [0])
    }

    /// The password, or the failure that says the URL needs one.
    func requirePassword() throws(Failure) -> String {
        guard let password = self.password else {
            throw Failure(description: "the server asks for a password; add ?password-env=VAR or ?password-file=PATH")
        }
        return password
    }

    private static func hex(_ digest: some Sequence<UInt8>) -> String {
        digest.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    // MARK: - SCRAM-SHA-256

    /// One SCRAM-SHA-256 exchange: the client's first message, then its proof for the server's
    /// first message, then the check of the server's signature.
    struct SCRAM {
        let password: String
        let clientNonce: String
        /// The `n=` attribute: empty, as libpq sends it (the server takes the startup message's user).
        let userName: String
        private(set) var serverSignature: [UInt8] = []

        /// The client's first message without its GS2 header `n,,`: `n=USER,r=NONCE`.
        var clientFirstBare: String {
            "n=" + self.userName + ",r=" + self.clientNonce
        }

        init(password: String, clientNonce: String = Self.makeNonce(), userName: String = "") {
            self.password = password
            self.clientNonce = clientNonce
            self.userName = userName
        }

        static func makeNonce() -> String {
            Data((0..<18).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        }

        /// The `SASLInitialResponse` naming the mechanism.
        func initialResponse() -> [UInt8] {
            let first = Array(("n,," + self.clientFirstBare).utf8)
            return PostgresWire.message(
                "p",
                Array("SCRAM-SHA-256".utf8) + [0] + PostgresWire.bytes(of: Int32(first.count)) + first
            )
        }

        /// The `SASLResponse` with the client's proof, for the server's first message
        /// (`r=NONCE,s=SALT,i=ITERATIONS`); remembers the signature the server must send back.
        mutating func finalResponse(serverFirst: String) throws(Failure) -> [UInt8] {
            var attributes: [Character: String] = [:]
            for part in serverFirst.split(separator: ",") where part.count >= 2 && part.dropFirst().first == "=" {
                attributes[part.first!] = String(part.dropFirst(2))
            }
            guard let nonce = attributes["r"], nonce.hasPrefix(self.clientNonce), nonce.count > self.clientNonce.count,
                let salt = attributes["s"].flatMap({ Data(base64Encoded: $0) }),
                let iterations = attributes["i"].flatMap(Int.init)
            else {
                throw Failure(description: "malformed SCRAM server message")
            }
            guard (1...PostgresAuthentication.maximumIterations).contains(iterations) else {
                throw Failure(description: "SCRAM iteration count \(iterations) out of range")
            }
            let salted = Self.saltedPassword(Array(self.password.utf8), salt: Array(salt), iterations: iterations)
            let clientKey = Self.hmac(salted, "Client Key")
            let storedKey = Digest.sha256(clientKey)
            let withoutProof = "c=biws,r=" + nonce
            let authMessage = self.clientFirstBare + "," + serverFirst + "," + withoutProof
            let signature = Self.hmac(storedKey, authMessage)
            let proof = zip(clientKey, signature).map { $0 ^ $1 }
            self.serverSignature = Self.hmac(Self.hmac(salted, "Server Key"), authMessage)
            let final = withoutProof + ",p=" + Data(proof).base64EncodedString()
            return PostgresWire.message("p", Array(final.utf8))
        }

        /// Checks the server's final message (`v=SIGNATURE`): a server that does not know the
        /// password cannot sign.
        func verify(serverFinal: String) throws(Failure) {
            guard serverFinal.hasPrefix("v="), let signature = Data(base64Encoded: String(serverFinal.dropFirst(2))),
                Array(signature) == self.serverSignature
            else {
                throw Failure(description: "the server's SCRAM signature does not match")
            }
        }

        /// PBKDF2-HMAC-SHA-256 of one block: RFC 5802's `Hi`.
        static func saltedPassword(_ password: [UInt8], salt: [UInt8], iterations: Int) -> [UInt8] {
            var block = Digest.hmacSHA256(key: password, salt + [0, 0, 0, 1])
            var result = block
            for _ in 1..<iterations {
                block = Digest.hmacSHA256(key: password, block)
                for index in result.indices {
                    result[index] ^= block[index]
                }
            }
            return result
        }

        private static func hmac(_ key: [UInt8], _ text: String) -> [UInt8] {
            Digest.hmacSHA256(key: key, Array(text.utf8))
        }
    }
}
