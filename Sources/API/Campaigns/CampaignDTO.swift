import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// A campaign as the operator sends it (create, or replace a draft).
struct CampaignInput: Decodable {
    let name: String
    let startsAt: String
    let endsAt: String
    let lots: [LotInput]

    struct LotInput: Decodable {
        let kind: String
        let direction: String?
        let faceValueFen: Int64
        let stock: Int
        let perEnterpriseLimit: Int?
        let mode: String?
        let validityDays: Int
    }

    /// Bounds of a campaign, named once.
    enum Limits {
        static let nameLengthMax = 200
        static let lotsMax = 20
        static let faceValueFenMax: Int64 = 100_000_000_000
        static let stockMax = 10_000_000
        static let perEnterpriseLimitMax = 100
        static let validityDaysMax = 3660
    }

    static let directions = VoucherDirection.allCases.map(\.rawValue)

    /// The record to store, or a 400 naming the first broken rule.
    func record(id: String, lotIDs: (Int) -> String) throws -> CampaignRecord {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= Limits.nameLengthMax else {
            throw invalid("campaign_name_invalid", "name must be 1 to \(Limits.nameLengthMax) characters.")
        }
        guard let starts = RFC3339.parse(startsAt), let ends = RFC3339.parse(endsAt) else {
            throw invalid("time_invalid", "startsAt and endsAt must be RFC 3339 times with an offset, e.g. 2026-12-01T10:00:00+08:00.")
        }
        guard ends > starts else { throw invalid("window_invalid", "endsAt must be after startsAt.") }
        guard !lots.isEmpty, lots.count <= Limits.lotsMax else {
            throw invalid("lots_invalid", "a campaign needs 1 to \(Limits.lotsMax) lots.")
        }
        var records: [LotRecord] = []
        for (index, lot) in lots.enumerated() {
            let at = "lots[\(index)]"
            guard let kind = VoucherKind(rawValue: lot.kind) else {
                throw invalid("lot_kind_invalid", "\(at).kind must be diagnostic or general.")
            }
            var direction: VoucherDirection?
            if kind == .general {
                guard let value = lot.direction.flatMap(VoucherDirection.init(rawValue:)) else {
                    throw invalid(
                        "lot_direction_invalid",
                        "\(at).direction must be one of \(Self.directions.joined(separator: ", ")) for a general voucher.")
                }
                direction = value
            } else if lot.direction != nil {
                throw invalid("lot_direction_invalid", "\(at).direction must be absent for a diagnostic voucher.")
            }
            guard (1...Limits.faceValueFenMax).contains(lot.faceValueFen) else {
                throw invalid("lot_face_value_invalid", "\(at).faceValueFen must be a whole number of fen from 1 to \(Limits.faceValueFenMax).")
            }
            guard (0...Limits.stockMax).contains(lot.stock) else {
                throw invalid("lot_stock_invalid", "\(at).stock must be from 0 to \(Limits.stockMax).")
            }
            let limit = lot.perEnterpriseLimit ?? 1
            guard (1...Limits.perEnterpriseLimitMax).contains(limit) else {
                throw invalid("lot_limit_invalid", "\(at).perEnterpriseLimit must be from 1 to \(Limits.perEnterpriseLimitMax).")
            }
            guard let mode = LotMode(rawValue: lot.mode ?? LotMode.grab.rawValue) else {
                throw invalid("lot_mode_invalid", "\(at).mode must be grab or apply.")
            }
            guard (1...Limits.validityDaysMax).contains(lot.validityDays) else {
                throw invalid("lot_validity_invalid", "\(at).validityDays must be from 1 to \(Limits.validityDaysMax).")
            }
            records.append(
                LotRecord(
                    id: lotIDs(index), campaignID: id, position: index, kind: kind, direction: direction,
                    faceValueFen: lot.faceValueFen, stock: lot.stock, perEnterpriseLimit: limit, mode: mode, validityDays: lot.validityDays))
        }
        return CampaignRecord(id: id, name: name, startsAt: starts, endsAt: ends, status: .draft, lots: records)
    }

    private func invalid(_ code: String, _ detail: String) -> CampaignRequestError {
        .input(code: code, detail: detail)
    }
}

/// A campaign as answered.
struct CampaignResponse: ResponseEncodable {
    let id: String
    let name: String
    let startsAt: String
    let endsAt: String
    let status: CampaignStatus
    let lots: [LotResponse]

    struct LotResponse: Encodable {
        let id: String
        let kind: VoucherKind
        let direction: VoucherDirection?
        let faceValueFen: Int64
        let stock: Int
        /// Stock not yet issued; present on detail answers.
        let remaining: Int64?
        let perEnterpriseLimit: Int
        let mode: LotMode
        let validityDays: Int
    }

    init(_ campaign: CampaignRecord, remaining: [String: Int64] = [:]) {
        id = campaign.id
        name = campaign.name
        startsAt = RFC3339.format(campaign.startsAt)
        endsAt = RFC3339.format(campaign.endsAt)
        status = campaign.status
        lots = campaign.lots.map {
            LotResponse(
                id: $0.id, kind: $0.kind, direction: $0.direction, faceValueFen: $0.faceValueFen, stock: $0.stock,
                remaining: remaining[$0.id], perEnterpriseLimit: $0.perEnterpriseLimit, mode: $0.mode, validityDays: $0.validityDays)
        }
    }
}

/// The voucher a grab issued.
struct GrabResponse: ResponseEncodable {
    let voucherId: String
    let campaignId: String
    let lotId: String
    let kind: VoucherKind
    let direction: VoucherDirection?
    let faceValueFen: Int64
    let grantedAt: String
    let validUntil: String
    /// `issued` on the first grab, `already_issued` on a retry.
    let result: String
}

/// Ids in paths are opaque but bounded: at most 64 characters of letters, digits, `_` and `-`.
enum PathID {
    static let lengthMax = 64

    static func check(_ value: String, _ name: String) throws -> String {
        guard !value.isEmpty, value.utf8.count <= lengthMax,
            value.utf8.allSatisfy({
                ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5a) || ($0 >= 0x61 && $0 <= 0x7a) || $0 == 0x5f || $0 == 0x2d
            })
        else {
            throw OpaqueIDError.malformedParameter(name: name)
        }
        return value
    }
}
