import Foundation
import PropertyBased
import Testing

@testable import VoucherCore

@Suite("Phone numbers")
struct PhoneNumberTests {
    @Test(arguments: ["13800138000", "+8613800138000", "19999999999", "10000000000"])
    func acceptsMainlandMobiles(text: String) throws {
        // Proves 11 digits starting with 1 are accepted with or without +86 and stored as the 11 digits.
        let phone = try PhoneNumber(validating: text)
        #expect(phone.digits.count == PhoneNumber.digitCount)
        #expect(text.hasSuffix(phone.digits))
        #expect(phone.e164 == "+86" + phone.digits)
    }

    @Test(arguments: [
        "", "1380013800", "138001380001", "23800138000", "+85213800138000", "86 13800138000",
        "8613800138000", "+86 13800138000", "138-0013-8000", " 13800138000", "1380013800a", "１３８００１３８０００",
        "+86", "+8623800138000",
    ])
    func rejectsEverythingElse(text: String) {
        // Proves wrong lengths, first digits, prefixes, separators and non-ASCII digits are rejected with phone_invalid.
        #expect(throws: PhoneNumberError.invalid) { try PhoneNumber(validating: text) }
        #expect(PhoneNumberError.invalid.code == "phone_invalid")
    }

    @Test func anyElevenDigitsStartingWithOneAreAccepted() async throws {
        // Proves the rule over all such numbers: accepted bare and with +86, both giving the same digits.
        await propertyCheck(count: 500, input: Gens.digit.string(of: 10)) { rest in
            let bare = try PhoneNumber(validating: "1" + rest)
            let prefixed = try PhoneNumber(validating: "+861" + rest)
            #expect(bare == prefixed)
            #expect(bare.digits == "1" + rest)
        }
    }

    @Test func anyOtherFirstDigitOrLengthIsRejected() async {
        // Proves numbers not starting with 1, or with a length other than 11, are rejected.
        await propertyCheck(count: 500, input: Gen.character(in: "0"..."9"), Gens.digit.string(of: 0...20)) { first, rest in
            let text = String(first) + rest
            guard first != "1" || text.count != PhoneNumber.digitCount else { return }
            #expect(throws: PhoneNumberError.invalid) { try PhoneNumber(validating: text) }
        }
    }

    @Test func decodingValidates() throws {
        // Proves a phone cannot enter through JSON without passing the rule, and encodes as its digits.
        let phone = try JSONDecoder().decode([PhoneNumber].self, from: Data(#"["+8613800138000"]"#.utf8))
        #expect(phone.first?.digits == "13800138000")
        #expect(String(decoding: try JSONEncoder().encode(phone), as: UTF8.self) == #"["13800138000"]"#)
        #expect(throws: PhoneNumberError.invalid) { try JSONDecoder().decode([PhoneNumber].self, from: Data(#"["123"]"#.utf8)) }
    }
}
