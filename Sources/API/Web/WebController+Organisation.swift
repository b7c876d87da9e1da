import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// 我的企业 (guide §2.4.3): `GET /workbench/organisation`, for the main account and sub-accounts
/// with the organisation menu (others: the 403 page). The same reads as `GET /v1/organisations/me`
/// (`Registration.draft` and the survey): 认证信息, 基本信息 (企业背景 and the eleven groups, or a
/// provider's 企业信息) and, for enterprises, 企业诊断信息 (the demand survey).
extension WebController {
    struct Fact {
        let id: String
        let label: String
        let value: String
    }

    struct GroupFacts {
        let label: String
        let facts: [Fact]
    }

    struct OrganisationView {
        let chrome: WebChrome
        let name: String
        let certification: String
        let certified: Bool
        let underReview: Bool
        let submittedAt: String
        let licence: String
        let missing: [String]
        let hasMissing: Bool
        let basic: [Fact]
        let groups: [GroupFacts]
        let hasGroups: Bool
        let enterprise: Bool
        let surveyAnswered: Bool
        let survey: [Fact]
    }

    func organisationPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchPage(request, .organisation) { viewer in
            let draft = try await Registration(env: env).draft(orgID: viewer.identity.orgID)
            let organisation = draft.organisation
            let saved = try savedFields(draft.details)
            let form = organisation.kind == .provider ? WebDetailField.provider : WebDetailField.enterprise
            let basic = form.map { Fact(id: "basic-" + $0.key, label: $0.label, value: $0.display($0.saved(in: saved))) }
            let groups = EnterpriseGroup.allCases.compactMap { group -> GroupFacts? in
                guard let fields = draft.details.groups?[group.rawValue], !fields.isEmpty else { return nil }
                let facts = Self.groupText(fields).split(separator: "\n").map { line -> Fact in
                    let parts = line.split(separator: "=", maxSplits: 1)
                    return Fact(id: "", label: String(parts[0]), value: parts.count > 1 ? String(parts[1]) : "")
                }
                return GroupFacts(label: group.label, facts: facts)
            }
            var survey: [Fact] = []
            var answered = false
            if organisation.kind == .enterprise, let record = try await env.registration.survey(orgID: organisation.id) {
                answered = true
                let answers = try StoredJSON.decode([String: JSONValue].self, from: record.answersJSON)
                var needs = "—"
                if case .string(let text)? = answers["needs"] { needs = text }
                survey = [
                    Fact(id: "survey-companyName", label: "企业名称", value: record.companyName),
                    Fact(id: "survey-city", label: "所在市", value: record.city),
                    Fact(id: "survey-companyType", label: "企业类型", value: Self.companyTypeLabels[record.companyType] ?? record.companyType),
                    Fact(id: "survey-needs", label: "数字化转型需求", value: needs),
                    Fact(id: "survey-answeredAt", label: "填报时间", value: WebLabels.time(record.answeredAt)),
                ]
            }
            let missing = draft.missing.map(WebDetailField.missingLabel)
            return pages.page(
                "organisation",
                OrganisationView(
                    chrome: chrome("我的企业", viewer: viewer, crumbs: [("工作台", "/workbench"), ("我的企业", "")], menu: .organisation),
                    name: organisation.name, certification: WebLabels.certification(organisation.certification),
                    certified: organisation.certification == .certified, underReview: organisation.certification == .underReview,
                    submittedAt: draft.profile?.submittedAt.map(WebLabels.time) ?? "—",
                    licence: draft.profile?.licenceSHA256 == nil ? "未上传" : "已上传", missing: missing, hasMissing: !missing.isEmpty,
                    basic: basic, groups: groups, hasGroups: !groups.isEmpty, enterprise: organisation.kind == .enterprise,
                    surveyAnswered: answered, survey: survey))
        }
    }
}

extension WebLabels {
    static func certification(_ state: OrganisationRecord.Certification) -> String {
        switch state {
        case .draft: "未提交"
        case .underReview: "审核中"
        case .certified: "已认证"
        case .rejected: "已驳回"
        }
    }
}
