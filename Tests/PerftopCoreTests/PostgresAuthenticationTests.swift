import Testing

@testable import PerftopCore

/// The password exchanges, against the published test vectors.
struct PostgresAuthenticationTests {
    /// RFC 7677, section 3: user `user`, password `pencil`.
    @Test func computesTheProofAndSignatureOfRFC7677() throws {
        var scram = PostgresAuthentication.SCRAM(
            password: "pencil",
            clientNonce: "rOprNGfwEbeRWgbNEkqO",
            userName: "user"
        )
        let initial = scram.initialResponse()
        #expect(String(decoding: initial.suffix(32), as: UTF8.self) == "n,,n=user,r=rOprNGfwEbeRWgbNEkqO")
        let final = try scram.finalResponse(
            serverFirst: "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
        )
        #expect(
            String(decoding: final.dropFirst(5), as: UTF8.self)
                == "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
        )
        try scram.verify(serverFinal: "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
        #expect(throws: PostgresAuthentication.Failure.self) {
            try scram.verify(serverFinal: "v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
        }
    }

    @Test(arguments: [
        "r=otherNonce,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
        "r=rOprNGfwEbeRWgbNEkqO,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
        "r=rOprNGfwEbeRWgbNEkqOx,s=not base64!,i=4096",
        "r=rOprNGfwEbeRWgbNEkqOx,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=99999999",
        "garbage",
    ])
    func refusesABadServerMessage(serverFirst: String) {
        var scram = PostgresAuthentication.SCRAM(password: "pencil", clientNonce: "rOprNGfwEbeRWgbNEkqO")
        #expect(throws: PostgresAuthentication.Failure.self) { try scram.finalResponse(serverFirst: serverFirst) }
    }

    /// `md5` + md5(md5(password + user) in hex + salt) in hex, as computed by Python's hashlib.
    @Test func answersAnMD5Request() throws {
        let authentication = PostgresAuthentication(user: "user", password: "pencil")
        let message = try authentication.md5(salt: [1, 2, 3, 4])
        #expect(
            String(decoding: message.dropFirst(5).dropLast(), as: UTF8.self) == "md54376eb6913b38f9aaff38dc7cf19ca76"
        )
        #expect(message.first == UInt8(ascii: "p"))
        #expect(throws: PostgresAuthentication.Failure.self) {
            try PostgresAuthentication(user: "user", password: nil).md5(salt: [1, 2, 3, 4])
        }
    }
}
