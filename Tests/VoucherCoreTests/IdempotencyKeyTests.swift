import Testing

@testable import VoucherCore

@Suite("Idempotency-Key validation")
struct IdempotencyKeyTests {
    @Test(arguments: ["a", "order-2026-0001", "order:2026|1", "~!#$%&'()*+,-./", String(repeating: "k", count: IdempotencyKey.lengthMax)])
    func acceptsVisibleASCII(text: String) throws {
        // Proves 1 to 64 visible ASCII characters are a key, kept exactly as sent, when the route reserves nothing.
        #expect(try IdempotencyKey(validating: text).value == text)
        #expect(try IdempotencyKey.validated(text)?.value == text)
    }

    @Test(arguments: [
        "", " ", "a b", "tab\tkey", "line\nkey", "nul\u{0}key", "del\u{7F}", "é", "订单1", String(repeating: "k", count: IdempotencyKey.lengthMax + 1),
    ])
    func refusesOtherText(text: String) {
        // Proves empty and overlong keys, spaces, control characters and non-ASCII are refused with idempotency_key_invalid.
        #expect(throws: IdempotencyKeyError.invalid(reserved: [])) { try IdempotencyKey(validating: text) }
        #expect(IdempotencyKeyError.invalid(reserved: []).code == "idempotency_key_invalid")
        #expect(IdempotencyKeyError.invalid(reserved: []).kind == .invalidInput)
    }

    @Test(arguments: ["a|b", "a:b", "|", ":"])
    func grabRefusesItsSeparators(text: String) throws {
        // Proves a grab key may not hold '|' or ':' (the grab script's separators), which other routes accept.
        #expect(throws: IdempotencyKeyError.invalid(reserved: IdempotencyKey.grabReserved)) {
            try IdempotencyKey(validating: text, reserved: IdempotencyKey.grabReserved)
        }
        #expect(try IdempotencyKey(validating: text).value == text)
    }

    @Test func absentHeaderIsNoKeyAndDetailsSayWhatToFix() throws {
        // Proves a request without the header has no key (each route decides whether that is allowed) and both details
        // name the bound, the grab's also the two separators.
        #expect(try IdempotencyKey.validated(nil) == nil)
        #expect(IdempotencyKeyError.invalid(reserved: []).detail == "The Idempotency-Key must be 1 to 64 visible ASCII characters.")
        #expect(
            IdempotencyKeyError.invalid(reserved: IdempotencyKey.grabReserved).detail
                == "Idempotency-Key must be 1 to 64 printable ASCII characters without '|' or ':'.")
    }

    @Test func everyByteStringAgreesWithTheRule() throws {
        // Proves, over every single byte and every pair of printable bytes, that a key is accepted exactly when each byte is
        // visible ASCII (0x21…0x7E) and not reserved.
        let reserved = IdempotencyKey.grabReserved
        for byte in UInt8(0)...UInt8(0x7F) {
            let text = String(decoding: [byte, UInt8(ascii: "k")], as: UTF8.self)
            let expected = byte > 0x20 && byte < 0x7F && !reserved.contains(byte)
            #expect(((try? IdempotencyKey(validating: text, reserved: reserved)) != nil) == expected, "byte \(byte)")
        }
    }
}
