import Foundation

/// The rules of a review (评价, guide §2.4.4 and §1.4.5), without I/O: what a review may say, how
/// long its author may change it, and how a product's stars become the average the catalogue
/// shows. The store holds the same bounds as CHECKs (migration 0015).
public enum ReviewRules {
    /// Stars are whole numbers in this range.
    public static let starsRange: ClosedRange<Int> = 1...5
    /// The fewest characters (Unicode scalars, as PostgreSQL's `char_length` counts) of a review's
    /// text after trimming: a few words, enough to say something about the product.
    public static let textScalarsMin = 5
    /// The most characters of a review's text.
    public static let textScalarsMax = 500
    /// How long after it was first written a review may be edited: seven days on the injected clock.
    public static let editWindowSeconds: TimeInterval = 7 * 86_400
    /// The longest reason an operator gives for hiding a review.
    public static let hideReasonScalarsMax = 500

    /// The stars and trimmed text of a review, or the first rule they break. `stars` is nil when
    /// the request sent a number that is not whole (4.5).
    public static func content(stars: Int?, text: String) throws(ReviewError) -> ReviewContent {
        guard let stars, starsRange.contains(stars) else { throw .starsInvalid }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let length = trimmed.unicodeScalars.count
        guard length >= textScalarsMin else { throw .textTooShort(length: length) }
        guard length <= textScalarsMax else { throw .textTooLong(length: length) }
        return ReviewContent(stars: stars, text: trimmed)
    }

    /// The trimmed reason for hiding a review, or why it is refused.
    public static func hideReason(_ reason: String?) throws(ReviewError) -> String {
        let trimmed = (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .reasonMissing }
        guard trimmed.unicodeScalars.count <= hideReasonScalarsMax else { throw .reasonTooLong }
        return trimmed
    }

    /// The last moment a review written at `createdAt` may be edited (inclusive).
    public static func editableUntil(createdAt: Date) -> Date { createdAt.addingTimeInterval(editWindowSeconds) }

    /// Whether a review written at `createdAt` may still be edited at `now`.
    public static func isEditable(createdAt: Date, now: Date) -> Bool { now <= editableUntil(createdAt: createdAt) }

    /// The average of `count` ratings summing to `sum` stars, in tenths of a star, rounded half to
    /// even (4.25 → 42, 4.35 → 44); nil while unrated. Integers only: `sum / count` is a rational,
    /// rounded once, here.
    public static func averageTenths(sum: Int64, count: Int) -> Int64? {
        guard count > 0 else { return nil }
        precondition(sum >= Int64(count) && sum <= Int64(count) * Int64(starsRange.upperBound), "a rating sum lies between count and 5 × count")
        let dividend = sum * 10
        let divisor = Int64(count)
        return Rounding.halfEven.adjust(quotient: dividend / divisor, remainder: dividend % divisor, divisor: divisor)
    }
}

/// What a review says: whole stars and its text, both checked by `ReviewRules.content`.
public struct ReviewContent: Sendable, Equatable {
    public let stars: Int
    public let text: String
}

/// Why a review was refused. Each sentence names the limit and what to send instead.
public enum ReviewError: DomainErrorConvertible, Equatable {
    /// Stars missing from 1…5, or not a whole number.
    case starsInvalid
    /// The text has fewer than `ReviewRules.textScalarsMin` characters (after trimming).
    case textTooShort(length: Int)
    /// The text has more than `ReviewRules.textScalarsMax` characters.
    case textTooLong(length: Int)
    /// The order is the enterprise's but not accepted (completed) yet, or it never will be.
    case orderNotAccepted(state: String)
    /// The order has a review already: one review an order, edited instead of written twice.
    case reviewExists(reviewID: String)
    /// The edit window has passed.
    case editWindowClosed(until: Date)
    /// An operator hid the review; it changes no more.
    case hidden
    /// No review with this id is the caller's (or, for operators, exists).
    case notFound
    /// A hide without a reason.
    case reasonMissing
    /// A reason longer than `ReviewRules.hideReasonScalarsMax`.
    case reasonTooLong

    public var code: String {
        switch self {
        case .starsInvalid: "review_stars_invalid"
        case .textTooShort: "review_text_too_short"
        case .textTooLong: "review_text_too_long"
        case .orderNotAccepted: "order_not_accepted"
        case .reviewExists: "review_exists"
        case .editWindowClosed: "review_edit_window_closed"
        case .hidden: "review_hidden"
        case .notFound: "review_not_found"
        case .reasonMissing: "reason_missing"
        case .reasonTooLong: "reason_too_long"
        }
    }

    public var kind: DomainError.Kind {
        switch self {
        case .starsInvalid, .textTooShort, .textTooLong, .reasonMissing, .reasonTooLong: .invalidInput
        case .orderNotAccepted, .reviewExists, .editWindowClosed, .hidden: .conflict
        case .notFound: .notFound
        }
    }

    public var detail: String {
        let range = ReviewRules.starsRange
        let (low, high) = (ReviewRules.textScalarsMin, ReviewRules.textScalarsMax)
        switch self {
        case .starsInvalid: return "stars must be a whole number from \(range.lowerBound) to \(range.upperBound)."
        case .textTooShort(let length):
            return "The review's text has \(length) characters; write \(low) to \(high) characters about the product."
        case .textTooLong(let length): return "The review's text has \(length) characters; shorten it to at most \(high)."
        case .orderNotAccepted(let state):
            return "The order is \(state); only an order whose delivery you accepted (completed) can be reviewed. Accept the delivery first."
        case .reviewExists(let id):
            return "This order has a review already (\(id)); an order is reviewed once. Edit that review with PUT /v1/reviews/\(id)."
        case .editWindowClosed:
            return "A review can be edited for \(Int(ReviewRules.editWindowSeconds / 86_400)) days after it was written (editableUntil); "
                + "that time has passed, so it can no longer change."
        case .hidden: return "An operator hid this review; it can no longer change."
        case .notFound: return "No review you can see has this id. Take the id from a reviews list (GET /v1/reviews for your own)."
        case .reasonMissing:
            return "Hiding a review needs a reason for the record; send it in reason (1 to \(ReviewRules.hideReasonScalarsMax) characters)."
        case .reasonTooLong: return "The reason is longer than \(ReviewRules.hideReasonScalarsMax) characters; shorten it."
        }
    }
}
