/// A rule of the domain that a request broke, described without HTTP.
///
/// The core knows *what* went wrong (`code`, `detail`) and *what sort* of failure it is (`kind`);
/// only the API layer decides which status a kind becomes, so that the same rule answers the same
/// way from every route and the core never imports a web framework.
public struct DomainError: Error, Sendable, Hashable, Codable {
    /// The sort of failure, so the API layer can map it to one status in one place.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// The input breaks a rule; sending something else may succeed (400/422).
        case invalidInput
        /// The caller is not signed in, or the credentials are wrong (401).
        case unauthorized
        /// The caller is signed in but may not do this (403).
        case forbidden
        /// The thing does not exist, or belongs to another organisation (404).
        case notFound
        /// The request clashes with the current state, such as a duplicate or a sold-out lot (409).
        case conflict
        /// The request is well formed but its content cannot be acted on yet, such as an
        /// incomplete registration or an unreadable statement (422).
        case unprocessable
        /// A file or body is larger than its bound (413).
        case tooLarge
        /// A file's content is not one of the formats the rule accepts (415).
        case unsupportedFormat
        /// The caller asks too often; retrying later may succeed (429).
        case rateLimited
        /// A dependency is down; retrying later may succeed (503).
        case unavailable
    }

    /// Stable snake_case identifier that clients branch on; never reworded once published.
    public let code: String
    /// Which sort of failure this is, for the status mapping.
    public let kind: Kind
    /// One sentence for a person, saying what went wrong and what to fix.
    public let detail: String

    /// Builds an error; a code that is not snake_case or an empty detail is a programmer error,
    /// because clients rely on the code's shape and users on the sentence.
    public init(code: String, kind: Kind, detail: String) {
        precondition(ErrorCode.isSnakeCase(code), "error code must be snake_case: \(code)")
        precondition(!detail.isEmpty, "error detail must say what to fix")
        self.code = code
        self.kind = kind
        self.detail = detail
    }
}

/// A typed error of a core rule that can describe itself as a `DomainError`.
///
/// Rules throw their own small enums (so callers can switch over exact cases with typed throws),
/// and every one of them conforms here so the API layer needs one `catch` for all of them.
public protocol DomainErrorConvertible: Error, Sendable {
    /// Stable snake_case code, one of the constants in `ErrorCode`.
    var code: String { get }
    /// The sort of failure, for the status mapping.
    var kind: DomainError.Kind { get }
    /// One sentence saying what to fix.
    var detail: String { get }
}

extension DomainErrorConvertible {
    /// The uniform description, built from the three parts so they cannot disagree.
    public var domainError: DomainError {
        DomainError(code: code, kind: kind, detail: detail)
    }
}

extension DomainError: DomainErrorConvertible {}
