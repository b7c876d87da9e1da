import PropertyBased
import Testing

@testable import VoucherCore

@Suite("Password policy")
struct PasswordPolicyTests {
    static let phone = try! PhoneNumber(validating: "13800138000")
    static let specials = Array("~!#$%&+,*;=>@_?^`./\"'()-:<[]\\{|}")

    @Test(
        arguments: [
            ("Abcdef12", nil),  // upper, lower, digit
            ("abcdef1!", nil),  // lower, digit, special
            ("ABCDEF1!", nil),  // upper, digit, special
            ("Abcdefg!", nil),  // upper, lower, special
            ("A1!a~`./", nil),
            ("Ab1!Ab1!Ab1!Ab1!Ab", nil),  // 18
            ("Ab1!Ab1", PasswordPolicyError.tooShort),  // 7
            ("Ab1!Ab1!Ab1!Ab1!Ab1", .tooLong),  // 19
            ("abcdefgh", .tooWeak), ("abcdef12", .tooWeak), ("ABCDEF!!", .tooWeak), ("12345678", .tooWeak),
            ("Abcdef1 ", .invalidCharacter), ("Abcdef1\t", .invalidCharacter), ("Abcdef1密", .invalidCharacter),
            ("Abcdéf1!", .invalidCharacter), ("Abc\u{7F}def1", .invalidCharacter),
            ("xZhang_Wei1", .containsUsername), ("zhang_wei!A1", .containsUsername), ("ZHANG_WEI!a1", .containsUsername),
            ("Pw!13800138000", .containsPhone),
        ] as [(String, PasswordPolicyError?)])
    func followsTheRule(password: String, error: PasswordPolicyError?) {
        // Proves the length bounds, the three-of-four classes, the character set and the username/phone exclusions.
        if let error {
            #expect(throws: error) { try PasswordPolicy.check(password, username: "zhang_wei", phone: Self.phone) }
        } else {
            #expect(throws: Never.self) { try PasswordPolicy.check(password, username: "zhang_wei", phone: Self.phone) }
        }
    }

    @Test func missingUsernameOrPhoneExcludesNothing() {
        // Proves an absent or empty username or phone does not reject passwords, and that the exclusion needs them.
        #expect(throws: Never.self) { try PasswordPolicy.check("Pw!13800138000", username: nil, phone: nil) }
        #expect(throws: Never.self) { try PasswordPolicy.check("Abcdef12", username: "", phone: nil) }
        #expect(throws: PasswordPolicyError.containsPhone) { try PasswordPolicy.check("Pw!13800138000", username: nil, phone: Self.phone) }
    }

    @Test func everyPrintableNonAlphanumericCountsAsSpecial() {
        // Proves the special class is all printable ASCII punctuation, not only the guide's list.
        for special in Self.specials {
            #expect(PasswordPolicy.characterClasses(in: String(special)) == [.special])
            #expect(throws: Never.self) { try PasswordPolicy.check("abcdef1" + String(special), username: nil, phone: nil) }
        }
    }

    @Test func threeClassesOfValidLengthAreAccepted() async {
        // Proves any 8–18 character mix that has three classes passes when it contains no username or phone.
        let lower = Gen.lowercaseLetter.string(of: 3...6)
        let upper = Gen.uppercaseLetter.string(of: 3...6)
        let digits = Gens.digit.string(of: 2...6)
        await propertyCheck(count: 500, input: lower, upper, digits) { a, b, c in
            let password = a + b + c
            guard password.count <= PasswordPolicy.lengthMax else { return }
            #expect(PasswordPolicy.characterClasses(in: password) == [.lower, .upper, .digit])
            #expect(throws: Never.self) { try PasswordPolicy.check(password, username: nil, phone: nil) }
        }
    }

    @Test func twoClassesAreAlwaysTooWeak() async {
        // Proves a password of any valid length mixing only two classes is rejected as too weak.
        let twoClasses = Gen<Character?>.element(of: Array("abcxyz0123456789")).map { $0! }.string(of: 8...18)
        await propertyCheck(count: 500, input: twoClasses) { password in
            #expect(throws: PasswordPolicyError.tooWeak) { try PasswordPolicy.check(password, username: nil, phone: nil) }
        }
    }

    @Test func theUsernameInAnyCaseIsRejected() async {
        // Proves a valid password becomes invalid once it contains the username, whatever the letter case.
        let username = Gen.lowercaseLetter.string(of: 3...6)
        await propertyCheck(count: 500, input: username, Gen.bool) { name, upper in
            let password = "A1!" + (upper ? name.uppercased() : name) + "x9"
            #expect(throws: PasswordPolicyError.containsUsername) { try PasswordPolicy.check(password, username: name, phone: nil) }
            #expect(throws: Never.self) { try PasswordPolicy.check(password, username: name + "q", phone: nil) }
        }
    }

    @Test func errorsHaveDistinctCodesIncludingTheSpecsName() {
        // Proves each password error has its own registered code and too-weak uses SPEC §9's password_too_weak.
        let codes = PasswordPolicyError.allCases.map(\.code)
        #expect(Set(codes).count == codes.count)
        #expect(codes.allSatisfy(ErrorCode.all.contains))
        #expect(PasswordPolicyError.tooWeak.code == "password_too_weak")
        #expect(PasswordPolicyError.allCases.allSatisfy { $0.detail.hasSuffix(".") && $0.kind == .invalidInput })
    }
}
