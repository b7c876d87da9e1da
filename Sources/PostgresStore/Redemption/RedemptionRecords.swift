import Foundation
import VoucherCore

/// A provider's payee account (收款账号) as stored.
public struct PayeeAccountRecord: Sendable, Equatable {
    public let id: String
    public let orgID: String
    public let bank: String
    public let accountName: String
    public let accountNumber: String
    public let active: Bool
    public let createdAt: Date
    /// 1 when added; each edit makes the next (migration 0017 keeps the ones replaced).
    public var version: Int = 1
}

/// Where a redemption batch stands. `redeemed` and `rejected` are final.
/// The offline transfer an operator recorded for a batch.
public struct TransferRecord: Sendable, Equatable {
    public let amountFen: Int64
    public let payerName: String
    public let payerAccount: String
    /// The bank's value date, `YYYY-MM-DD`.
    public let date: String
    public let bankSerial: String

    public init(amountFen: Int64, payerName: String, payerAccount: String, date: String, bankSerial: String) {
        self.amountFen = amountFen
        self.payerName = payerName
        self.payerAccount = payerAccount
        self.date = date
        self.bankSerial = bankSerial
    }
}

/// A redemption batch as stored, with the usages it takes.
public struct BatchRecord: Sendable, Equatable {
    public let id: String
    public let kind: String
    public let orgID: String
    public let reference: String
    public let payeeAccountID: String
    public let payeeName: String
    public let payeeNumber: String
    public let totalFen: Int64
    public let state: BatchState
    public let approvalID: String
    /// The archive of a diagnostic batch; nil for a general one (see `files`).
    public let materialSHA256: String?
    public let materialMediaType: String?
    /// What a general-voucher redemption filed; nil for a diagnostic batch.
    public let enterpriseName: String?
    public let orderID: String?
    public let direction: String?
    public let rejectionReason: String?
    public let transfer: TransferRecord?
    public let disputeReason: String?
    public let createdAt: Date
    public let updatedAt: Date
    public var usageIDs: [String]
    /// The materials of a general batch (sha256, media type), in the order filed.
    public var files: [MaterialFile] = []
}

/// One stored materials file of a batch.
public struct MaterialFile: Sendable, Equatable {
    public let sha256: String
    public let mediaType: String
    public let sizeBytes: Int

    public init(sha256: String, mediaType: String, sizeBytes: Int) {
        self.sha256 = sha256
        self.mediaType = mediaType
        self.sizeBytes = sizeBytes
    }
}

/// A general-voucher redemption (通用服务券-兑付申请) as the provider files it.
public struct NewGeneralRedemption: Sendable {
    public let orgID: String
    public let userID: String
    public let enterpriseName: String
    public let orderID: String
    public let direction: String
    public let payeeAccountID: String
    /// Content hashes of files the provider uploaded first.
    public let materialSHA256s: [String]

    public init(
        orgID: String, userID: String, enterpriseName: String, orderID: String, direction: String, payeeAccountID: String,
        materialSHA256s: [String]
    ) {
        self.orgID = orgID
        self.userID = userID
        self.enterpriseName = enterpriseName
        self.orderID = orderID
        self.direction = direction
        self.payeeAccountID = payeeAccountID
        self.materialSHA256s = materialSHA256s
    }
}

/// A new diagnostic batch as the provider files it, with the materials already stored.
public struct NewBatch: Sendable {
    public let orgID: String
    public let userID: String
    /// Shown in the inbox when the user has no username on record.
    public let applicantName: String
    public let usageIDs: [String]
    public let payeeAccountID: String
    public let materialSHA256: String
    public let materialMediaType: String
    public let materialSizeBytes: Int
    /// The request's Idempotency-Key: a replay with the same request answers the batch filed first.
    public let idempotencyKey: String?

    public init(
        orgID: String, userID: String, applicantName: String, usageIDs: [String], payeeAccountID: String,
        materialSHA256: String, materialMediaType: String, materialSizeBytes: Int, idempotencyKey: String? = nil
    ) {
        self.idempotencyKey = idempotencyKey
        self.orgID = orgID
        self.userID = userID
        self.applicantName = applicantName
        self.usageIDs = usageIDs
        self.payeeAccountID = payeeAccountID
        self.materialSHA256 = materialSHA256
        self.materialMediaType = materialMediaType
        self.materialSizeBytes = materialSizeBytes
    }

    /// The request in canonical form, to recognise a key reused for another request.
    public var fingerprint: String {
        Array(Set(usageIDs)).sorted().joined(separator: ",") + "|" + payeeAccountID + "|" + materialSHA256
    }
}

/// What finance sees: redeemed money per provider, campaign and month.
public struct PayoutTotalRow: Sendable, Equatable {
    public let providerOrgID: String
    public let providerName: String
    public let campaignID: String
    public let campaignName: String
    /// `YYYY-MM` in China Standard Time.
    public let month: String
    public let redeemedFen: Int64
    public let usageCount: Int
}
