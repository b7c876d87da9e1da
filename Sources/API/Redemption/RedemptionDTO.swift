import Foundation
import Hummingbird
import PostgresStore
import VoucherServices

struct PayeeBody: Decodable {
    let bank: String
    let accountName: String
    let accountNumber: String
}

struct TransferBody: Decodable {
    let amountFen: Int64
    let payerName: String
    let payerAccount: String
    let date: String
    let bankSerial: String
}

struct ConfirmBody: Decodable {
    let payerName: String
    let payerAccount: String
    let amountFen: Int64
}

struct GeneralBody: Decodable {
    let enterpriseName: String
    let orderId: String
    let direction: String
    let payeeAccountId: String
    let materials: [String]
}

/// A stored material, to cite by `sha256` when filing.
struct MaterialDTO: ResponseEncodable, Sendable {
    let sha256: String
    let mediaType: String
    let sizeBytes: Int
}

struct ReasonBody: Decodable {
    let reason: String
}

/// A payee account as the provider sees it.
struct PayeeDTO: ResponseEncodable, Sendable {
    let id: String
    let bank: String
    let accountName: String
    let accountNumber: String
    let active: Bool
    let createdAt: Date
    let version: Int

    init(_ record: PayeeAccountRecord) {
        id = record.id
        bank = record.bank
        accountName = record.accountName
        accountNumber = record.accountNumber
        active = record.active
        createdAt = record.createdAt
        version = record.version
    }
}

/// A batch with its state, the rejection reason or dispute, and the recorded transfer.
struct BatchDTO: ResponseEncodable, Sendable {
    struct Transfer: Encodable, Sendable {
        let amountFen: Int64
        let payerName: String
        let payerAccount: String
        let date: String
        let bankSerial: String
    }

    let id: String
    let kind: String
    let orgId: String
    let reference: String
    let payeeAccountId: String
    let payeeName: String
    let payeeNumber: String
    let totalFen: Int64
    let state: String
    let approvalId: String
    let usageIds: [String]
    let enterpriseName: String?
    let orderId: String?
    let direction: String?
    let files: [String]
    let rejectionReason: String?
    let disputeReason: String?
    let transfer: Transfer?
    let createdAt: Date
    let updatedAt: Date

    init(_ record: BatchRecord) {
        id = record.id
        kind = record.kind
        orgId = record.orgID
        reference = record.reference
        payeeAccountId = record.payeeAccountID
        payeeName = record.payeeName
        payeeNumber = record.payeeNumber
        totalFen = record.totalFen
        state = record.state.rawValue
        approvalId = record.approvalID
        usageIds = record.usageIDs
        enterpriseName = record.enterpriseName
        orderId = record.orderID
        direction = record.direction
        files = record.files.map(\.mediaType)
        rejectionReason = record.rejectionReason
        disputeReason = record.disputeReason
        transfer = record.transfer.map {
            Transfer(amountFen: $0.amountFen, payerName: $0.payerName, payerAccount: $0.payerAccount, date: $0.date, bankSerial: $0.bankSerial)
        }
        createdAt = record.createdAt
        updatedAt = record.updatedAt
    }
}

/// Redeemed money of one provider in one campaign.
struct PayoutDTO: Encodable, Sendable {
    let providerOrgId: String
    let providerName: String
    let campaignId: String
    let campaignName: String
    let month: String
    let redeemedFen: Int64
    let usageCount: Int

    init(_ row: PayoutTotalRow) {
        providerOrgId = row.providerOrgID
        providerName = row.providerName
        campaignId = row.campaignID
        campaignName = row.campaignName
        month = row.month
        redeemedFen = row.redeemedFen
        usageCount = row.usageCount
    }
}

/// Finance's totals for a period.
struct PayoutsDTO: ResponseEncodable, Sendable {
    let from: Date
    let to: Date
    let items: [PayoutDTO]
    let totalFen: Int64
}
