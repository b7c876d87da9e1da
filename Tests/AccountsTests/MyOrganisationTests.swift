import Foundation
import TestSupport
import Testing
import VoucherServices

/// 我的企业 (guide §2.4.3; issue 15, item 4): the organisation's 认证信息, 基本信息 and 企业诊断信息
/// over HTTP against real PostgreSQL, for the main account and for sub-accounts with the
/// organisation menu.
@Suite("My organisation")
struct MyOrganisationTests {
    /// Proves the certified enterprise's main account and a sub-account holding the organisation
    /// menu both read the certification state, submission time and licence, the saved details and
    /// the demand survey; a sub-account without the menu gets 403 permission_denied, and a draft
    /// provider reads its partial details with what is missing and no diagnosis tab.
    @Test func mainAndPermittedSubAccountsReadTheThreeTabs() async throws {
        try await AccountsWorld.run { world in
            let op = try await world.makePlatformUser(.operator, "org_tabs_op", phone: "13700000041")
            let main = try await world.certifiedEnterprise("org_tabs_co", phone: "13800000641", uscc: "91350100M000100Y43", operatorToken: op)
            for (username, phone, permissions) in [("org_clerk", "13800000642", ["organisation"]), ("inbox_clerk", "13800000643", ["inbox"])] {
                let created = try await world.call(
                    .post, "/v1/subaccounts",
                    json: [
                        "username": username, "phone": phone, "password": "Clerk#2026", "passwordConfirmation": "Clerk#2026",
                        "permissions": permissions,
                    ], token: main)
                #expect(created.status == .created, "\(created.json)")
            }
            let permitted = try await world.token("org_clerk", "Clerk#2026")
            for token in [main, permitted] {
                let mine = try await world.call(.get, "/v1/organisations/me", token: token)
                #expect(mine.status == .ok, "\(mine.json)")
                #expect(mine.string("certification") == "certified")
                let certification = try #require(mine.json["certificationInfo"] as? [String: Any])
                #expect(certification["certification"] as? String == "certified")
                #expect(certification["submittedAt"] is String)
                #expect((certification["licence"] as? [String: Any])?["sha256"] is String)
                #expect(certification["missing"] as? [String] == [])
                let basic = try #require(mine.json["basicInfo"] as? [String: Any])
                #expect(basic["legalRepresentative"] as? String == "赵六")
                #expect(basic["unifiedSocialCreditCode"] as? String == "91350100M000100Y43")
                #expect(basic["employeeCount"] as? Int == 120)
                let diagnosis = try #require(mine.json["diagnosis"] as? [String: Any])
                #expect((diagnosis["survey"] as? [String: Any])?["companyType"] as? String == "private")
                #expect(diagnosis["surveyAnsweredAt"] is String)
            }
            let denied = try await world.call(.get, "/v1/organisations/me", token: try await world.token("inbox_clerk", "Clerk#2026"))
            #expect(denied.status == .forbidden && denied.code == "permission_denied", "\(denied.json)")

            let provider = try await world.register("provider", "org_tabs_pv", phone: "13800000644")
            let saved = try await world.call(.put, "/v1/registrations/me/details", json: ["contactName": "孙七"], token: provider)
            #expect(saved.status == .ok, "\(saved.json)")
            let draft = try await world.call(.get, "/v1/organisations/me", token: provider)
            #expect(draft.status == .ok, "\(draft.json)")
            #expect((draft.json["basicInfo"] as? [String: Any])?["contactName"] as? String == "孙七")
            let missing = (draft.json["certificationInfo"] as? [String: Any])?["missing"] as? [String] ?? []
            #expect(missing.contains("name") && missing.contains("licence") && !missing.contains("contactName"), "\(missing)")
            #expect(draft.json["diagnosis"] == nil)
        }
    }

    /// Proves the groups after 企业背景 are saved typed by code (whole numbers, fen, dates, texts,
    /// booleans, lists), that groups still sent in `extra` under their Chinese names move into
    /// `groups` while other `extra` fields stay, and that a value of the wrong type, an unknown
    /// group or too many fields is 400 field_invalid naming the field, with the draft unchanged.
    @Test func enterpriseGroupsAreTypedAndValidated() async throws {
        try await AccountsWorld.run { world in
            let token = try await world.register("enterprise", "groups_co", phone: "13800000651")
            let saved = try await world.call(
                .put, "/v1/registrations/me/details",
                json: [
                    "name": "分组企业",
                    "groups": [
                        "operations": ["revenueLastYearFen": 50_000_000_000, "exportShare": "无出口", "hasErp": true],
                        "innovation": ["patentCount": 3, "firstPatentOn": "2019-04-01", "fields": ["工业软件", "智能制造"]],
                    ],
                    "extra": ["人员": ["研发人员": 20], "上市板块": "创业板"],
                ], token: token)
            #expect(saved.status == .ok, "\(saved.json)")
            let details = try #require(saved.json["details"] as? [String: Any])
            let groups = try #require(details["groups"] as? [String: [String: Any]])
            #expect(groups["operations"]?["revenueLastYearFen"] as? Int == 50_000_000_000)
            #expect(groups["innovation"]?["firstPatentOn"] as? String == "2019-04-01")
            #expect(groups["personnel"]?["研发人员"] as? Int == 20)
            #expect(details["extra"] == nil, "a labelled 企业背景 field in extra becomes its typed field")
            #expect(details["listingBoard"] as? String == "chinext")
            let mine = try await world.call(.get, "/v1/organisations/me", token: token)
            #expect(((mine.json["basicInfo"] as? [String: Any])?["groups"] as? [String: Any])?.count == 3)

            let before = try await world.snapshot()
            let bad: [[String: Any]] = [
                ["operations": ["employeeRatio": 1.5]], ["operations": ["revenueFen": -1]], ["operations": ["revenueFen": "100万"]],
                ["innovation": ["firstPatentOn": "2019/04/01"]], ["innovation": ["note": NSNull()]], ["innovation": ["nested": ["a": 1]]],
                ["marketing": ["x": 1]], ["customerService": ["a": 1, "b": 2]], ["production": ["fields": [1, 2]]],
            ]
            for groups in bad {
                let refused = try await world.call(.put, "/v1/registrations/me/details", json: ["name": "分组企业", "groups": groups], token: token)
                #expect(refused.status == .badRequest && refused.code == "field_invalid", "\(groups): \(refused.json)")
            }
            let wrongShape = try await world.call(
                .put, "/v1/registrations/me/details", json: ["groups": ["operations": "text"]], token: token)
            #expect(wrongShape.status == .badRequest && wrongShape.code == "body_invalid", "\(wrongShape.json)")
            #expect(try await world.snapshot() == before, "a refused save changed nothing")
        }
    }

    /// Proves every starred 企业背景 field of fig 2-7 is required on submit (the conditional ones
    /// only when their yes/no says so), that each is typed — choices from closed sets, whole
    /// numbers, fen, dates, booleans — and that a value of the wrong type or outside its set is a
    /// 400 problem with a code naming the field, with nothing changed.
    @Test func backgroundFieldsAreTypedAndRequired() async throws {
        try await AccountsWorld.run { world in
            let token = try await world.register("enterprise", "background_co", phone: "13800000661")
            let empty = try await world.call(.get, "/v1/registrations/me", token: token)
            let missing = try #require(empty.json["missing"] as? [String])
            for field in [
                "registrationType", "taxCreditRating", "listed", "listingPlanned", "keyIndustryChain", "coreProduct", "customerKinds",
                "enterpriseCustomersIn3Years", "consumerCustomersIn1Year", "manufacturingOutputAverageFen", "employeeCount", "region",
                "registeredAddress", "businessAddress", "highTech", "famousBrand", "singleChampion", "subsidyCountIn3Years",
                "subsidyTotalIn3YearsFen", "subsidyLevel", "specialisedGiant", "provincialAwards",
            ] {
                #expect(missing.contains(field), "\(field) is required: \(missing)")
            }
            #expect(!missing.contains("listingBoard") && !missing.contains("highTechCertifiedOn") && !missing.contains("coreProduct2"))

            var details = AccountsWorld.enterpriseDetails
            details["name"] = "背景企业有限公司"
            details["unifiedSocialCreditCode"] = "91350100M000100Y43"
            details["listed"] = true
            details["listingPlanned"] = true
            details["highTech"] = true
            let saved = try await world.call(.put, "/v1/registrations/me/details", json: details, token: token)
            #expect(saved.status == .ok, "\(saved.json)")
            let conditional = try #require(saved.json["missing"] as? [String])
            for field in ["listingBoard", "plannedListingOn", "plannedListingBoard", "highTechCertifiedOn"] {
                #expect(conditional.contains(field), "\(field) is required once its 是 is chosen: \(conditional)")
            }
            details["listingBoard"] = "star_market"
            details["plannedListingOn"] = "2027-12-31"
            details["plannedListingBoard"] = "main_board"
            details["highTechCertifiedOn"] = "2020-10-01"
            let complete = try await world.call(.put, "/v1/registrations/me/details", json: details, token: token)
            #expect(complete.status == .ok, "\(complete.json)")
            #expect(complete.json["missing"] as? [String] == ["licence", "survey"], "\(complete.json)")
            let mine = try await world.call(.get, "/v1/organisations/me", token: token)
            let basic = try #require(mine.json["basicInfo"] as? [String: Any])
            #expect(basic["manufacturingOutputAverageFen"] as? Int == 5_000_000_000)
            #expect(basic["customerKinds"] as? [String] == ["large_enterprise", "sme"])

            let before = try await world.snapshot()
            let bad: [(String, Any, Int, String)] = [
                ("registrationType", "有限责任公司", 400, "choice_invalid"), ("taxCreditRating", "AAA", 400, "choice_invalid"),
                ("listingBoard", "nasdaq", 400, "choice_invalid"), ("subsidyLevel", "全球", 400, "choice_invalid"),
                ("customerKinds", ["sme", "sme"], 400, "choice_invalid"), ("customerKinds", ["aliens"], 400, "choice_invalid"),
                ("customerKinds", [String](), 400, "choice_invalid"),
                ("enterpriseCustomersIn3Years", -1, 400, "field_invalid"), ("subsidyTotalIn3YearsFen", -5, 400, "field_invalid"),
                ("plannedListingOn", "2027/12/31", 400, "field_invalid"), ("highTechCertifiedOn", "2021-02-30", 400, "field_invalid"),
                ("region", "   ", 400, "field_invalid"), ("coreProduct2", String(repeating: "长", count: 65), 400, "field_invalid"),
                ("enterpriseCustomersIn3Years", "四十", 400, "body_invalid"), ("famousBrand", "是", 400, "body_invalid"),
                ("manufacturingOutputAverageFen", 12.5, 400, "body_invalid"), ("customerKinds", "sme", 400, "body_invalid"),
            ]
            for (field, value, status, code) in bad {
                var sent = details
                sent[field] = value
                let refused = try await world.call(.put, "/v1/registrations/me/details", json: sent, token: token)
                #expect(refused.status.code == status && refused.code == code, "\(field)=\(value): \(refused.json)")
            }
            #expect(try await world.snapshot() == before, "a refused save changed nothing")
        }
    }
}
