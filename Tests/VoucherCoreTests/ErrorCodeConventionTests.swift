import Testing

@testable import VoucherCore

@Suite("One problem-code convention")
struct ErrorCodeConventionTests {
    @Test func renamedCodesFollowTheConventionAndKeepTheirOldNames() {
        // Proves every renamed code is snake_case and noun first, every old name is snake_case, no old name is a current
        // name again (so an alias never means two failures), and each old name appears under one current code only.
        var olds: [String] = []
        for (current, aliases) in ErrorCode.aliases {
            #expect(ErrorCode.isSnakeCase(current), "\(current)")
            #expect(!ErrorCode.faultFirstPrefixes.contains { current.hasPrefix($0) }, "\(current) puts its fault first")
            #expect(!aliases.isEmpty, "\(current) lists no old name")
            for old in aliases {
                #expect(ErrorCode.isSnakeCase(old), "\(old)")
                #expect(ErrorCode.aliases[old] == nil, "\(old) is an old name and a current one")
                #expect(old != current)
            }
            olds += aliases
        }
        #expect(Set(olds).count == olds.count, "an old name is listed under two codes")
    }

    @Test func coreCodesPutTheirSubjectFirst() {
        // Proves none of the core's own codes has a shape the convention replaced (invalid_x, missing_x, too_many_x, …).
        for code in ErrorCode.all {
            #expect(!ErrorCode.faultFirstPrefixes.contains { code.hasPrefix($0) }, "\(code)")
        }
    }

    @Test func malformedIdsAreTheRequestsFault() {
        // Proves a malformed id, from a path parameter or of a known prefix, is invalid input (400 id_malformed), never
        // "not found".
        for error in [OpaqueIDError.malformed(prefix: "ord"), .malformedParameter(name: "campaignID")] {
            #expect(error.code == ErrorCode.idMalformed && error.kind == .invalidInput)
        }
        #expect(OpaqueIDError.malformedParameter(name: "lotID").detail == "lotID is not a valid id: use the id exactly as the API returned it.")
    }
}
