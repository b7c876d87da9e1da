import Foundation
import VoucherCore

/// What an application is about, named by its type: the inbox shows it (`subjectType`,
/// `subjectId`) and the detail reads its snapshot. One case per kind of subject; a workflow type
/// without its case answers `.other`, so the inbox never fails on a type it does not know.
public enum ApprovalSubject: Sendable, Equatable {
    /// Certification: the organisation (its registration details and licence).
    case organisation
    /// Offline payment and refund: the order.
    case order
    /// Diagnostic and general redemption, and the provider's 支付确认 of its transfer: the batch.
    case redemptionBatch
    /// A product listing (operator → expert → authority): the product.
    case product
    /// A type this build has no snapshot for; the type's own name stands for its subject.
    case other(String)

    public init(approvalType: String) {
        switch approvalType {
        case CertificationEffect.type: self = .organisation
        case OrderPaymentEffect.type, OrderRefundEffect.type: self = .order
        case RedemptionBatchEffect.type, RedemptionBatchEffect.generalType, PaymentConfirmationEffect.type: self = .redemptionBatch
        case ListingEffect.type: self = .product
        default: self = .other(approvalType)
        }
    }

    /// The stable name clients read in `subjectType`.
    public var name: String {
        switch self {
        case .organisation: "organisation"
        case .order: "order"
        case .redemptionBatch: "redemption_batch"
        case .product: "product"
        case .other(let type): type
        }
    }
}

/// A stored file that belongs to what an application decides, downloadable by the application's viewers.
public struct SubjectFile: Sendable, Equatable {
    /// What the file is to the subject: `licence`, `proof`, `archive`, `material`.
    public let purpose: String
    public let sha256: String
    public let mediaType: String
    public let sizeBytes: Int
    /// The payment attempt a proof was uploaded for; nil for other files.
    public let attempt: Int?
}

/// An organisation as its certification decides it: the registered details and the licence.
public struct OrganisationSnapshot: Sendable {
    public let orgID: String
    public let kind: String
    public let name: String
    public let uscc: String?
    public let certification: String
    /// The details draft as submitted (frozen while under review); nil if none was saved.
    public let profile: ProfileRecord?
    public let licence: SubjectFile?
}

/// An order as its payment (or refund) decides it: amounts, spec, deduction lines and proofs.
public struct OrderSnapshot: Sendable {
    public let order: OrderRecord
    public let proofs: [SubjectFile]
}

/// A redemption batch as its chain decides it: the batch, its usages and its archive or materials.
public struct BatchSnapshot: Sendable {
    public let batch: BatchRecord
    public let usages: [UsageRecord]
    public let files: [SubjectFile]
}

/// A product listing as its chain decides it: the revision submitted with its content and specs,
/// and the files its content names.
public struct ProductListingSnapshot: Sendable {
    public let listing: ListingSnapshot
    public let files: [SubjectFile]
}

/// What the detail of an application shows of its subject, typed by kind. Adding a workflow
/// type is a case of `ApprovalSubject` naming its types and a case here with
/// its snapshot; the switches over them are exhaustive, so the compiler then lists the two other
/// places that need a line: its read in `ApprovalSubjectsRepository.snapshot` and its section in
/// the API's `ApprovalSubjectDTO`. Until then the type answers `.generic`.
public enum ApprovalSnapshot: Sendable {
    case organisation(OrganisationSnapshot)
    case order(OrderSnapshot)
    case redemptionBatch(BatchSnapshot)
    case product(ProductListingSnapshot)
    /// A type without a snapshot yet, or a subject no longer found: only its type and id.
    case generic(type: String, subjectID: String)

    /// Every file of the subject; the only files the application's file route serves.
    public var files: [SubjectFile] {
        switch self {
        case .organisation(let snapshot): snapshot.licence.map { [$0] } ?? []
        case .order(let snapshot): snapshot.proofs
        case .redemptionBatch(let snapshot): snapshot.files
        case .product(let snapshot): snapshot.files
        case .generic: []
        }
    }
}
