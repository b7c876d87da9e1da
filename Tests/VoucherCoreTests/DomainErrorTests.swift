import Testing

@testable import VoucherCore

@Suite("Domain errors and codes")
struct DomainErrorTests {
    @Test func registeredCodesAreUniqueAndSnakeCase() {
        // Proves no two rules share a code and every code has the promised shape.
        #expect(Set(ErrorCode.all).count == ErrorCode.all.count)
        for code in ErrorCode.all {
            #expect(ErrorCode.isSnakeCase(code), "\(code)")
        }
    }

    @Test(arguments: ["sold_out", "not_open", "a", "password_too_weak", "x1_2"])
    func acceptsSnakeCase(code: String) {
        // Proves the snake_case check admits the codes SPEC §9 uses.
        #expect(ErrorCode.isSnakeCase(code))
    }

    @Test(arguments: [
        "", "Sold_out", "sold-out", "sold__out", "_sold", "sold_", "1st", "sold out", "soldOut",
        String(repeating: "a", count: ErrorCode.lengthMax + 1),
    ])
    func rejectsOtherShapes(code: String) {
        // Proves the snake_case check refuses capitals, dashes, doubled or edge underscores, leading digits and overlong codes.
        #expect(!ErrorCode.isSnakeCase(code))
    }

    @Test func typedErrorsConvertToDomainErrors() {
        // Proves every rule's error becomes a DomainError with the same code, kind and detail, ready for the API mapping.
        let errors: [any DomainErrorConvertible] = [
            MoneyParseError.tooManyDecimals, MoneyArithmeticError.overflow, PhoneNumberError.invalid,
            SubAccountUsernameError.tooShort, PasswordPolicyError.tooWeak, SocialCreditCodeError.checkMismatch,
            DeductionError.duplicateVoucher(id: "v"), OpaqueIDError.malformed(prefix: "vch"),
        ]
        for error in errors {
            let domain = error.domainError
            #expect(domain.code == error.code)
            #expect(domain.kind == error.kind)
            #expect(domain.detail == error.detail)
            #expect(ErrorCode.all.contains(domain.code))
        }
        let direct = DomainError(code: "sold_out", kind: .conflict, detail: "The lot is sold out; try another campaign.")
        #expect(direct.domainError == direct)
    }

    @Test func aBadCodeIsAProgrammerError() async {
        // Proves constructing a DomainError with a code that is not snake_case stops the process.
        await #expect(processExitsWith: .failure) {
            _ = DomainError(code: "Sold Out", kind: .conflict, detail: "x")
        }
    }
}
