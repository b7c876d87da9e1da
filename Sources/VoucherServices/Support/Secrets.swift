import Crypto
import Foundation

/// Digests and random secrets of the accounts module.
package enum Secrets {
    /// Lower-case hex SHA-256 of `bytes`: file names of stored files, stored form of refresh tokens.
    package static func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
        SHA256.hash(data: Array(bytes)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// SHA-256 of text.
    package static func sha256Hex(_ text: String) -> String { sha256Hex(Array(text.utf8)) }

    /// A URL-safe random token of `byteCount` bytes from the system's secure generator.
    package static func randomToken(byteCount: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// A numeric code of `digits` digits, uniformly distributed, leading zeros kept.
    package static func numericCode(digits: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<digits).map { _ in Character(String(Int.random(in: 0...9, using: &generator))) })
    }

    /// The stored form of an SMS code: bound to the phone so a table leak does not reveal
    /// which codes were sent where without per-phone brute force.
    package static func smsCodeHash(phone: String, code: String) -> String { sha256Hex("sms:\(phone):\(code)") }
}
