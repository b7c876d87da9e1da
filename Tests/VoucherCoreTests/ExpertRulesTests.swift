import PropertyBased
import Testing

@testable import VoucherCore

@Suite("Expert rules")
struct ExpertRulesTests {
    static let valid = ExpertProfile(
        name: "王建国", age: 48, gender: "male", industrialInternetFields: ["工业互联网平台"], industryFields: ["装备制造"],
        industrialOperationFields: ["生产管理"], industrialInternetServiceYears: 12, industryServiceYears: 20, experience: "主持数字化改造。",
        title: "首席专家", education: nil, photoFileId: String(repeating: "ab", count: 32), introduction: "长期从事智能制造咨询。",
        phone: nil, phonePublic: false)

    static func code(_ profile: ExpertProfile) -> String? {
        do {
            _ = try profile.validated()
            return nil
        } catch {
            return error.code
        }
    }

    @Test func nameAndExperienceLengthsDecideAlone() async {
        // Proves, for any name of 0–40 and any experience of 0–220 characters (CJK, counted as PostgreSQL counts them),
        // that validation passes exactly when the name has 1–30 and the experience 1–200, and otherwise names the rule:
        // expert_name_too_long, expert_experience_too_long, or expert_invalid for an empty one.
        await propertyCheck(count: 500, input: Gen.int(in: 0...40), Gen.int(in: 0...220)) { nameLength, experienceLength in
            var profile = Self.valid
            profile.name = String(repeating: "名", count: nameLength)
            profile.experience = String(repeating: "绩", count: experienceLength)
            let expected: String? =
                if nameLength == 0 { "expert_invalid" } else if nameLength > 30 { "expert_name_too_long" } else if experienceLength == 0 {
                    "expert_invalid"
                } else if experienceLength > 200 { "expert_experience_too_long" } else { nil }
            #expect(Self.code(profile) == expected, "name \(nameLength), experience \(experienceLength)")
        }
    }

    @Test func serviceYearsNeverPassTheAge() async {
        // Proves the two 服务年限 pass exactly when each is within 0–80 and not above the age (18–100).
        await propertyCheck(count: 500, input: Gen.int(in: 10...110), Gen.int(in: -2...90), Gen.int(in: -2...90)) { age, internet, industry in
            var profile = Self.valid
            profile.age = age
            profile.industrialInternetServiceYears = internet
            profile.industryServiceYears = industry
            let fine = (18...100).contains(age) && [internet, industry].allSatisfy { (0...80).contains($0) && $0 <= age }
            #expect((Self.code(profile) == nil) == fine, "age \(age), years \(internet) and \(industry)")
        }
    }

    @Test func closedAndFreeFieldsAreCheckedAndTrimmed() throws {
        // Proves gender is the closed set male/female, the three 领域 lists are 1–10 distinct free tags of 1–30 characters,
        // empty optional texts become absent, a public phone needs a valid mobile number, and texts come back trimmed.
        var profile = Self.valid
        profile.gender = "男"
        #expect(Self.code(profile) == "expert_invalid")
        profile = Self.valid
        profile.industryFields = (0..<11).map { "行业\($0)" }
        #expect(Self.code(profile) == "expert_invalid")
        profile.industryFields = ["汽车", "汽车 "]
        #expect(Self.code(profile) == "expert_invalid", "a repeat after trimming")
        profile.industryFields = [String(repeating: "长", count: 31)]
        #expect(Self.code(profile) == "expert_invalid")
        profile = Self.valid
        profile.phonePublic = true
        #expect(Self.code(profile) == "expert_invalid", "public without a phone")
        profile.phone = "+8613800138000"
        profile.name = " 王建国\n"
        profile.education = "  "
        let clean = try profile.validated()
        #expect(clean.phone == "13800138000" && clean.name == "王建国" && clean.education == nil)
        profile.photoFileId = "photo.jpg"
        #expect(Self.code(profile) == "expert_photo_unknown")
        #expect(throws: ListingError.self) { try ExpertAttachment.validate(["exp_a", "exp_a"]) }
        #expect(throws: ListingError.self) { try ExpertAttachment.validate((0...10).map { "exp_\($0)" }) }
        #expect(throws: Never.self) { try ExpertAttachment.validate(["exp_a", "exp_b"]) }
    }
}
