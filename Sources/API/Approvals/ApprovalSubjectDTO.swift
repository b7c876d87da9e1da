import Foundation
import Hummingbird
import PostgresStore
import VoucherServices

/// What `GET /v1/approvals/{id}` shows of the application's subject: its kind and id, one
/// section for the kind (`organisation`, `order`, `batch` with `usages`, `listing`; none for a type
/// without a snapshot), and the subject's files, each downloadable from `download` by the same
/// people who see the application.
struct ApprovalSubjectDTO: Encodable, Sendable {
    struct File: Encodable, Sendable {
        /// The file's id on the download route: the SHA-256 of its content.
        let id: String
        let purpose: String
        let mediaType: String
        let sizeBytes: Int
        let attempt: Int?
        let download: String

        init(_ file: SubjectFile, approvalID: String) {
            id = file.sha256
            purpose = file.purpose
            mediaType = file.mediaType
            sizeBytes = file.sizeBytes
            attempt = file.attempt
            download = "/v1/approvals/\(approvalID)/files/\(file.sha256)"
        }
    }

    /// An organisation as submitted for certification.
    struct Organisation: Encodable, Sendable {
        let id: String
        let kind: String
        let name: String
        let unifiedSocialCreditCode: String?
        let certification: String
        let contactName: String?
        let contactPhone: String?
        /// The registration details as saved (the guide's fields), or nil when none were saved.
        let details: OrganisationDetails?
        let submittedAt: Date?

        init(_ snapshot: OrganisationSnapshot) {
            id = snapshot.orgID
            kind = snapshot.kind
            name = snapshot.name
            unifiedSocialCreditCode = snapshot.uscc
            certification = snapshot.certification
            contactName = snapshot.profile?.contactName
            contactPhone = snapshot.profile?.contactPhone
            details = snapshot.profile.flatMap { try? StoredJSON.decode(OrganisationDetails.self, from: $0.detailsJSON) }
            submittedAt = snapshot.profile?.submittedAt
        }
    }

    let type: String
    let id: String
    let organisation: Organisation?
    let order: OrderDTO?
    let batch: BatchDTO?
    let usages: [UsageDTO]?
    /// A listing: the revision submitted, and the id of the version on sale when it is an edit.
    let listing: ListingRevisionDTO?
    let files: [File]

    init(_ snapshot: ApprovalSnapshot, application: ApprovalRecord) {
        type = ApprovalSubject(approvalType: application.type).name
        id = application.subjectID
        files = snapshot.files.map { File($0, approvalID: application.id) }
        var organisation: Organisation?
        var order: OrderDTO?
        var batch: BatchDTO?
        var usages: [UsageDTO]?
        var listing: ListingRevisionDTO?
        switch snapshot {
        case .organisation(let value): organisation = Organisation(value)
        case .order(let value): order = OrderDTO(value.order)
        case .redemptionBatch(let value):
            batch = BatchDTO(value.batch)
            usages = value.usages.map(UsageDTO.init)
        case .product(let value): listing = ListingRevisionDTO(value.listing)
        case .generic: break
        }
        self.organisation = organisation
        self.order = order
        self.batch = batch
        self.usages = usages
        self.listing = listing
    }
}

/// The listing section of an approval's subject: what the provider submitted.
struct ListingRevisionDTO: Encodable, Sendable {
    let productId: String
    let productStatus: String
    let organisationName: String
    let revision: RevisionDTO
    let liveRevisionId: String?

    init(_ snapshot: ListingSnapshot) {
        productId = snapshot.productID
        productStatus = snapshot.productStatus.rawValue
        organisationName = snapshot.organisationName
        revision = RevisionDTO(snapshot.revision)
        liveRevisionId = snapshot.liveRevisionID
    }
}
