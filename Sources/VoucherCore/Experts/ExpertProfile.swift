import Foundation

/// Every bound of an expert (专家管理, guide §1.4.8 表1-3) in one place (house habit 5); migration
/// 0016's CHECKs repeat them. Lengths count Unicode scalars, as PostgreSQL's `length()` does, so
/// the rule and the column's CHECK never disagree on a name with combining marks or emoji.
public enum ExpertLimits {
    /// 姓名: the form's counter shows 0 / 30.
    public static let nameLengthMax = 30
    /// 经验与业绩: the form's counter shows 0 / 200.
    public static let experienceLengthMax = 200
    /// 年龄 in years: a working adult.
    public static let ages: ClosedRange<Int> = 18...100
    /// 服务年限 in years; never more than the expert's age either.
    public static let serviceYears: ClosedRange<Int> = 0...80
    /// Each of the three 领域 lists: 1 to 10 free tags of 1 to 30 characters. The guide names no
    /// choices for them (unlike 性别), so they are bounded free tags, not closed sets.
    public static let fieldsPerListMax = 10
    public static let fieldLengthMax = 30
    /// 职务 and 学历 (optional): free text; the guide offers no choices.
    public static let titleLengthMax = 50
    public static let educationLengthMax = 50
    /// 专家介绍: the portal's detail text.
    public static let introductionLengthMax = 2_000
    /// 照片: "小于 2048kb", so 2048 KiB itself is refused.
    public static let photoBytesMax = 2048 * 1024 - 1
    /// Experts shown on one listing.
    public static let perListingMax = 10
}

/// 性别: the form's two choices.
public enum ExpertGender: String, Sendable, Codable, CaseIterable {
    case male, female
}

/// One expert as the provider submits it: every field of 表1-3 plus a phone the provider may
/// mark public. The whole record is sent at once (the page's "确定要提交吗？" confirmation is the
/// client's), so there are no partial saves.
public struct ExpertProfile: Sendable, Equatable, Codable {
    /// 姓名
    public var name: String
    /// 年龄, years.
    public var age: Int
    /// 性别: `male` or `female` (checked by `validated`, so a wrong value is a 400 naming it).
    public var gender: String
    /// 工业互联网专业领域
    public var industrialInternetFields: [String]
    /// 工业行业领域
    public var industryFields: [String]
    /// 工业运行领域
    public var industrialOperationFields: [String]
    /// 工业互联网服务年限, years.
    public var industrialInternetServiceYears: Int
    /// 工业领域服务年限, years.
    public var industryServiceYears: Int
    /// 经验与业绩
    public var experience: String
    /// 职务 (optional)
    public var title: String?
    /// 学历 (optional)
    public var education: String?
    /// 照片: the `fileId` of an upload to `POST /v1/provider/expert-photos`.
    public var photoFileId: String
    /// 专家介绍
    public var introduction: String
    /// A contact number; shown publicly only when `phonePublic`.
    public var phone: String?
    public var phonePublic: Bool

    public init(
        name: String, age: Int, gender: String, industrialInternetFields: [String], industryFields: [String],
        industrialOperationFields: [String], industrialInternetServiceYears: Int, industryServiceYears: Int, experience: String,
        title: String?, education: String?, photoFileId: String, introduction: String, phone: String?, phonePublic: Bool
    ) {
        self.name = name
        self.age = age
        self.gender = gender
        self.industrialInternetFields = industrialInternetFields
        self.industryFields = industryFields
        self.industrialOperationFields = industrialOperationFields
        self.industrialInternetServiceYears = industrialInternetServiceYears
        self.industryServiceYears = industryServiceYears
        self.experience = experience
        self.title = title
        self.education = education
        self.photoFileId = photoFileId
        self.introduction = introduction
        self.phone = phone
        self.phonePublic = phonePublic
    }

    enum CodingKeys: String, CodingKey {
        case name, age, gender, industrialInternetFields, industryFields, industrialOperationFields, industrialInternetServiceYears
        case industryServiceYears, experience, title, education, photoFileId, introduction, phone, phonePublic
    }

    /// `phonePublic` may be left out (private).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        age = try container.decode(Int.self, forKey: .age)
        gender = try container.decode(String.self, forKey: .gender)
        industrialInternetFields = try container.decode([String].self, forKey: .industrialInternetFields)
        industryFields = try container.decode([String].self, forKey: .industryFields)
        industrialOperationFields = try container.decode([String].self, forKey: .industrialOperationFields)
        industrialInternetServiceYears = try container.decode(Int.self, forKey: .industrialInternetServiceYears)
        industryServiceYears = try container.decode(Int.self, forKey: .industryServiceYears)
        experience = try container.decode(String.self, forKey: .experience)
        title = try container.decodeIfPresent(String.self, forKey: .title)
        education = try container.decodeIfPresent(String.self, forKey: .education)
        photoFileId = try container.decode(String.self, forKey: .photoFileId)
        introduction = try container.decode(String.self, forKey: .introduction)
        phone = try container.decodeIfPresent(String.self, forKey: .phone)
        phonePublic = try container.decodeIfPresent(Bool.self, forKey: .phonePublic) ?? false
    }
}
