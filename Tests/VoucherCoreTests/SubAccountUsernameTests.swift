import Foundation
import PropertyBased
import Testing

@testable import VoucherCore

@Suite("Sub-account usernames")
struct SubAccountUsernameTests {
    static let allowed = Gen<Character?>.element(of: Array("abcXYZ019_")).map { $0! }

    @Test(
        arguments: [
            ("abcdef", nil), ("user_01", nil), (String(repeating: "a", count: 30), nil), ("______", nil),
            ("abcde", SubAccountUsernameError.tooShort), ("", .tooShort),
            (String(repeating: "a", count: 31), .tooLong),
            ("user-01", .invalidCharacter), ("user 01", .invalidCharacter), ("用户名用户名", .invalidCharacter),
            ("abcdé1", .invalidCharacter), ("user.name", .invalidCharacter),
        ] as [(String, SubAccountUsernameError?)])
    func followsTheRule(text: String, error: SubAccountUsernameError?) throws {
        // Proves the boundaries 6 and 30 and the letters/digits/underscore alphabet.
        if let error {
            #expect(throws: error) { try SubAccountUsername(validating: text) }
        } else {
            #expect(try SubAccountUsername(validating: text).value == text)
        }
    }

    @Test func validLengthsOfTheAlphabetAreAccepted() async throws {
        // Proves every string of 6–30 allowed characters is accepted unchanged.
        await propertyCheck(count: 500, input: Self.allowed.string(of: 6...30)) { text in
            let username = try SubAccountUsername(validating: text)
            #expect(username.value == text)
        }
    }

    @Test func oneForeignCharacterIsEnoughToReject() async {
        // Proves inserting any character outside the alphabet into a valid username rejects it.
        let foreign = Gen.character(in: " "..."~").filter { !($0.isLetter || $0.isNumber || $0 == "_") }
        await propertyCheck(count: 500, input: Self.allowed.string(of: 6...29), foreign, Gen.int(in: 0...29)) { text, bad, position in
            var characters = Array(text)
            characters.insert(bad, at: min(position, characters.count))
            #expect(throws: SubAccountUsernameError.invalidCharacter) { try SubAccountUsername(validating: String(characters)) }
        }
    }

    @Test func errorsHaveDistinctCodes() {
        // Proves each username error has its own registered code and a sentence.
        let codes = SubAccountUsernameError.allCases.map(\.code)
        #expect(Set(codes).count == codes.count)
        #expect(codes.allSatisfy(ErrorCode.all.contains))
        #expect(SubAccountUsernameError.allCases.allSatisfy { $0.detail.hasSuffix(".") })
    }
}
