import PostgresNIO
import VoucherCore

/// Why an accounts write was refused by the ledger's state or constraints. The API maps each to
/// a problem; here they stay free of HTTP.
public enum AccountsStoreError: Error, Sendable, Equatable {
    /// Another user already has this username (usernames are global and never reused).
    case usernameTaken
    /// The phone is in use: by another main account, or by a user of the same organisation.
    case phoneTaken
    /// Another organisation has registered this unified social credit code.
    case usccTaken
    /// The organisation's certification state does not allow this step (`current` is its state).
    case wrongCertificationState(current: String)
    /// An enterprise must answer the demand survey before certification can be submitted or pass.
    case surveyMissing
    /// The organisation has no saved details to submit.
    case profileMissing
    /// The user or organisation does not exist (or is another organisation's).
    case notFound
}

extension PSQLError {
    /// The name of the unique constraint this error violated, if it is a unique violation
    /// (SQLSTATE 23505); lets a repository tell "username taken" from "phone taken".
    var violatedUniqueConstraint: String? {
        guard let info = serverInfo, info[.sqlState] == "23505" else { return nil }
        return info[.constraintName] ?? ""
    }
}

extension AccountsStoreError {
    /// Maps a unique violation on a users or organisations index to its meaning, or nil.
    static func fromUniqueViolation(_ error: any Error) -> AccountsStoreError? {
        guard let error = error as? PSQLError, let constraint = error.violatedUniqueConstraint else { return nil }
        switch constraint {
        case "users_username_key": return .usernameTaken
        case "users_org_phone_key", "users_main_phone_key": return .phoneTaken
        case "organisations_uscc_key": return .usccTaken
        default: return nil
        }
    }
}
