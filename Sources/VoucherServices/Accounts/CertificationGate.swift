import Foundation
import Logging
import PostgresNIO
import PostgresStore
import VoucherCore

/// The one check that an organisation is certified before it trades (SPEC §3, §7; guide §2.4.7
/// 前提条件): quoting and ordering need a certified enterprise; listing a product, payee accounts
/// and filing a redemption need a certified provider. Every route that needs it calls `require`
/// after its role check, so a refused request changes nothing.
///
/// It reads the organisation's state from PostgreSQL, the source of truth, rather than the
/// token's `cert` claim: an organisation certified after its login may act at once, without
/// logging in again.
public struct CertificationGate: Sendable {
    /// What the organisation is about to do; the refusal's sentence names it.
    public enum Action: String, Sendable, CaseIterable {
        case quoting, ordering, listing, payeeAccounts, redemption, experts

        var phrase: String {
            switch self {
            case .quoting: "ask for a quote"
            case .ordering: "place an order"
            case .listing: "create, upload files for or submit a product"
            case .payeeAccounts: "add a payee account"
            case .redemption: "file a redemption"
            case .experts: "add or edit an expert or upload an expert's photo"
            }
        }
    }

    let accounts: AccountsRepository

    public init(postgres: PostgresClient, logger: Logger) {
        self.accounts = AccountsRepository(client: postgres, logger: logger)
    }

    /// Returns when the caller's organisation is certified; otherwise throws 403
    /// `certification_required`, whose sentence names the action and the organisation's state.
    public func require(_ identity: Identity, for action: Action) async throws {
        let state = try await accounts.organisation(id: identity.orgID)?.certification
        guard state != .certified else { return }
        throw Self.refusal(action, state: state?.rawValue ?? "draft")
    }

    /// The 403 for an organisation in `state` (draft, under_review, rejected).
    public static func refusal(_ action: Action, state: String) -> DomainError {
        let next =
            switch state {
            case "under_review": "Its certification is under review; wait for the operator's approval."
            case "rejected": "Its certification was rejected; correct the details and submit them again."
            default: "Complete the organisation's details and submit them for certification first."
            }
        return DomainError(
            code: ErrorCode.certificationRequired, kind: .forbidden,
            detail: "Only a certified organisation may \(action.phrase); yours is \(state). \(next)")
    }
}
