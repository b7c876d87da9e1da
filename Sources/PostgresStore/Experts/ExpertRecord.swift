import Foundation
import PostgresNIO
import VoucherCore

/// One stored expert with what the pages around it need: its provider's public name and the
/// provider's products that show it. The API decides which of it a reader may see.
public struct ExpertRecord: Sendable, Equatable {
    public let id: String
    public let orgID: String
    public let providerName: String
    public let profile: ExpertProfile
    /// The provider's products whose listing shows this expert (any state).
    public let productIDs: [String]
    public let createdAt: Date
    public let updatedAt: Date
}

/// The filters of the portal's 专家团队; nil filters nothing.
public struct ExpertFilter: Sendable, Equatable {
    /// An entry of any of the three 领域 lists, exactly.
    public var field: String?
    /// Part of the name or the title (职务), case-insensitive.
    public var text: String?
    public var page: Int
    public var pageSize: Int

    public init(field: String? = nil, text: String? = nil, page: Int = 1, pageSize: Int = 10) {
        self.field = field
        self.text = text
        self.page = page
        self.pageSize = pageSize
    }
}

extension ExpertsRepository {
    /// The columns `record(_:)` reads, over `experts e JOIN organisations o`.
    static let columns = """
        e.id, e.org_id, o.name AS provider_name, e.name, e.age, e.gender, e.industrial_internet_fields, e.industry_fields,
        e.industrial_operation_fields, e.industrial_internet_service_years, e.industry_service_years, e.experience, e.title,
        e.education, e.photo_sha256, e.introduction, e.phone, e.phone_public, e.created_at, e.updated_at,
        ARRAY(SELECT pe.product_id FROM product_experts pe WHERE pe.expert_id = e.id ORDER BY pe.product_id) AS product_ids
        """

    static func record(_ row: PostgresRow) throws -> ExpertRecord {
        let column = row.makeRandomAccess()
        let profile = ExpertProfile(
            name: try column["name"].decode(String.self), age: try column["age"].decode(Int.self),
            gender: try column["gender"].decode(String.self),
            industrialInternetFields: try column["industrial_internet_fields"].decode([String].self),
            industryFields: try column["industry_fields"].decode([String].self),
            industrialOperationFields: try column["industrial_operation_fields"].decode([String].self),
            industrialInternetServiceYears: try column["industrial_internet_service_years"].decode(Int.self),
            industryServiceYears: try column["industry_service_years"].decode(Int.self),
            experience: try column["experience"].decode(String.self), title: try column["title"].decode(String?.self),
            education: try column["education"].decode(String?.self), photoFileId: try column["photo_sha256"].decode(String.self),
            introduction: try column["introduction"].decode(String.self), phone: try column["phone"].decode(String?.self),
            phonePublic: try column["phone_public"].decode(Bool.self))
        return ExpertRecord(
            id: try column["id"].decode(String.self), orgID: try column["org_id"].decode(String.self),
            providerName: try column["provider_name"].decode(String.self), profile: profile,
            productIDs: try column["product_ids"].decode([String].self), createdAt: try column["created_at"].decode(Date.self),
            updatedAt: try column["updated_at"].decode(Date.self))
    }

    static func records(_ rows: PostgresRowSequence) async throws -> [ExpertRecord] {
        var records: [ExpertRecord] = []
        for try await row in rows { records.append(try record(row)) }
        return records
    }
}
