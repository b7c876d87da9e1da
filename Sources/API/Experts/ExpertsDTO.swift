import Foundation
import Hummingbird
import PostgresStore
import VoucherCore

/// An expert as its provider sees it: every field it submitted, and the products that show it.
struct ExpertDTO: ResponseEncodable, Sendable {
    let id: String
    let name: String
    let age: Int
    let gender: String
    let industrialInternetFields: [String]
    let industryFields: [String]
    let industrialOperationFields: [String]
    let industrialInternetServiceYears: Int
    let industryServiceYears: Int
    let experience: String
    let title: String?
    let education: String?
    let photoFileId: String
    let photoUrl: String
    let introduction: String
    let phone: String?
    let phonePublic: Bool
    /// The provider's products whose listing shows this expert.
    let productIds: [String]
    let createdAt: Date
    let updatedAt: Date

    init(_ record: ExpertRecord) {
        let p = record.profile
        id = record.id
        name = p.name
        age = p.age
        gender = p.gender
        industrialInternetFields = p.industrialInternetFields
        industryFields = p.industryFields
        industrialOperationFields = p.industrialOperationFields
        industrialInternetServiceYears = p.industrialInternetServiceYears
        industryServiceYears = p.industryServiceYears
        experience = p.experience
        title = p.title
        education = p.education
        photoFileId = p.photoFileId
        photoUrl = PublicExpertDTO.photoURL(record.id)
        introduction = p.introduction
        phone = p.phone
        phonePublic = p.phonePublic
        productIds = record.productIDs
        createdAt = record.createdAt
        updatedAt = record.updatedAt
    }
}

/// An expert as the portal (专家团队) and a listing's detail show it: no phone unless its
/// provider marked it public, no organisation id or product ids, the provider by name only.
struct PublicExpertDTO: ResponseEncodable, Sendable {
    let id: String
    let name: String
    let age: Int
    let gender: String
    let industrialInternetFields: [String]
    let industryFields: [String]
    let industrialOperationFields: [String]
    let industrialInternetServiceYears: Int
    let industryServiceYears: Int
    let experience: String
    let title: String?
    let education: String?
    let photoUrl: String
    let introduction: String
    let phone: String?
    let providerName: String

    init(_ record: ExpertRecord) {
        let p = record.profile
        id = record.id
        name = p.name
        age = p.age
        gender = p.gender
        industrialInternetFields = p.industrialInternetFields
        industryFields = p.industryFields
        industrialOperationFields = p.industrialOperationFields
        industrialInternetServiceYears = p.industrialInternetServiceYears
        industryServiceYears = p.industryServiceYears
        experience = p.experience
        title = p.title
        education = p.education
        photoUrl = Self.photoURL(record.id)
        introduction = p.introduction
        phone = p.phonePublic ? p.phone : nil
        providerName = record.providerName
    }

    /// Where anyone reads an expert's photo.
    static func photoURL(_ id: String) -> String { "/v1/public/experts/\(id)/photo" }
}

/// The experts a listing shows, in display order.
struct ListingExpertsDTO: ResponseEncodable, Sendable {
    let productId: String
    let experts: [PublicExpertDTO]
}

/// An expert photo upload; `fileId` is what `photoFileId` names.
struct ExpertPhotoDTO: ResponseEncodable, Sendable {
    let fileId: String
    let mediaType: String
    let sizeBytes: Int
}
