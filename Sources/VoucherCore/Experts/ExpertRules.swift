import Foundation

/// Why an expert request was refused; each case is one stable code.
public enum ExpertError: DomainErrorConvertible, Equatable {
    case invalid(field: String, rule: String)
    case nameTooLong(Int)
    case experienceTooLong(Int)
    /// `photoFileId` names no expert photo this organisation uploaded.
    case photoUnknown(String)
    case photoTooLarge
    case photoUnsupportedFormat
    /// Missing, or another organisation's (never told apart).
    case notFound
    /// A listing names an expert that is not one of the provider's own.
    case attachUnknown(String)

    public var code: String {
        switch self {
        case .invalid: "expert_invalid"
        case .nameTooLong: "expert_name_too_long"
        case .experienceTooLong: "expert_experience_too_long"
        case .photoUnknown: "expert_photo_unknown"
        case .photoTooLarge: "expert_photo_too_large"
        case .photoUnsupportedFormat: "expert_photo_unsupported_format"
        case .notFound: "expert_not_found"
        case .attachUnknown: "listing_expert_unknown"
        }
    }

    public var kind: DomainError.Kind {
        switch self {
        case .invalid, .nameTooLong, .experienceTooLong, .photoUnknown, .attachUnknown: .invalidInput
        case .photoTooLarge: .tooLarge
        case .photoUnsupportedFormat: .unsupportedFormat
        case .notFound: .notFound
        }
    }

    public var detail: String {
        switch self {
        case .invalid(let field, let rule): "\(field) \(rule)."
        case .nameTooLong(let count): "name has \(count) characters; shorten it to at most \(ExpertLimits.nameLengthMax)."
        case .experienceTooLong(let count):
            "experience has \(count) characters; shorten it to at most \(ExpertLimits.experienceLengthMax)."
        case .photoUnknown(let id):
            "photoFileId \(id) is not an expert photo of your organisation; upload it with POST /v1/provider/expert-photos first."
        case .photoTooLarge: "An expert's photo must be smaller than 2048 KB; send a smaller one."
        case .photoUnsupportedFormat: "The photo is not JPEG or PNG by its content; send a jpeg, jpg or png image."
        case .notFound: "No expert of yours has this id. Take the id from your experts list."
        case .attachUnknown(let id): "Expert \(id) is not one of your experts; add it under 专家管理 (POST /v1/provider/experts) first."
        }
    }
}

extension ExpertProfile {
    /// The profile with its texts trimmed and empty optional texts dropped, when every rule the
    /// provider can fix holds; otherwise the first broken rule, in the order of the form.
    public func validated() throws(ExpertError) -> ExpertProfile {
        var clean = self
        clean.name = Self.trimmed(name)
        guard !clean.name.isEmpty else { throw .invalid(field: "name", rule: "must not be empty") }
        guard Self.length(clean.name) <= ExpertLimits.nameLengthMax else { throw .nameTooLong(Self.length(clean.name)) }
        guard ExpertLimits.ages.contains(age) else { throw Self.range("age", ExpertLimits.ages) }
        guard ExpertGender(rawValue: gender) != nil else {
            throw .invalid(field: "gender", rule: "must be one of \(ExpertGender.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        clean.industrialInternetFields = try Self.tags(industrialInternetFields, "industrialInternetFields")
        clean.industryFields = try Self.tags(industryFields, "industryFields")
        clean.industrialOperationFields = try Self.tags(industrialOperationFields, "industrialOperationFields")
        try Self.years(industrialInternetServiceYears, "industrialInternetServiceYears", age: age)
        try Self.years(industryServiceYears, "industryServiceYears", age: age)
        clean.experience = Self.trimmed(experience)
        guard !clean.experience.isEmpty else { throw .invalid(field: "experience", rule: "must not be empty") }
        guard Self.length(clean.experience) <= ExpertLimits.experienceLengthMax else {
            throw .experienceTooLong(Self.length(clean.experience))
        }
        clean.title = try Self.optional(title, "title", lengthMax: ExpertLimits.titleLengthMax)
        clean.education = try Self.optional(education, "education", lengthMax: ExpertLimits.educationLengthMax)
        guard Self.isFileID(photoFileId) else { throw .photoUnknown(photoFileId) }
        clean.introduction = Self.trimmed(introduction)
        guard !clean.introduction.isEmpty, Self.length(clean.introduction) <= ExpertLimits.introductionLengthMax else {
            throw .invalid(field: "introduction", rule: "must have 1 to \(ExpertLimits.introductionLengthMax) characters")
        }
        clean.phone = try Self.phone(phone, isPublic: phonePublic)
        return clean
    }

    static func trimmed(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    /// Characters as PostgreSQL counts them (code points).
    static func length(_ text: String) -> Int { text.unicodeScalars.count }

    static func range(_ field: String, _ range: ClosedRange<Int>) -> ExpertError {
        .invalid(field: field, rule: "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
    }

    static func tags(_ values: [String], _ field: String) throws(ExpertError) -> [String] {
        let clean = values.map(trimmed)
        guard (1...ExpertLimits.fieldsPerListMax).contains(clean.count) else {
            throw .invalid(field: field, rule: "must hold 1 to \(ExpertLimits.fieldsPerListMax) entries")
        }
        guard clean.allSatisfy({ !$0.isEmpty && length($0) <= ExpertLimits.fieldLengthMax }) else {
            throw .invalid(field: field, rule: "must hold entries of 1 to \(ExpertLimits.fieldLengthMax) characters")
        }
        guard Set(clean).count == clean.count else { throw .invalid(field: field, rule: "must not repeat an entry") }
        return clean
    }

    static func years(_ value: Int, _ field: String, age: Int) throws(ExpertError) {
        guard ExpertLimits.serviceYears.contains(value) else { throw range(field, ExpertLimits.serviceYears) }
        guard value <= age else { throw .invalid(field: field, rule: "must not be more than age (\(age))") }
    }

    static func optional(_ value: String?, _ field: String, lengthMax: Int) throws(ExpertError) -> String? {
        guard let value else { return nil }
        let clean = trimmed(value)
        guard !clean.isEmpty else { return nil }
        guard length(clean) <= lengthMax else { throw .invalid(field: field, rule: "must have at most \(lengthMax) characters") }
        return clean
    }

    /// A stored file's id: lower-case hex SHA-256.
    static func isFileID(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { ASCII.isDigit($0) || (0x61...0x66).contains($0) }
    }

    static func phone(_ value: String?, isPublic: Bool) throws(ExpertError) -> String? {
        let clean = value.map(trimmed).flatMap { $0.isEmpty ? nil : $0 }
        guard let clean else {
            guard !isPublic else { throw .invalid(field: "phonePublic", rule: "needs a phone to show; send phone or phonePublic false") }
            return nil
        }
        do {
            return try PhoneNumber(validating: clean).digits
        } catch {
            throw .invalid(field: "phone", rule: "must be an 11-digit mainland mobile number such as 13800138000")
        }
    }
}

/// Which experts a listing shows (its `expertIds`, in display order).
public enum ExpertAttachment {
    /// Checks the list's shape (bound, no repeats); ownership is the store's to check.
    public static func validate(_ expertIDs: [String]) throws(ListingError) {
        guard expertIDs.count <= ExpertLimits.perListingMax else {
            throw .invalid(field: "expertIds", rule: "must hold at most \(ExpertLimits.perListingMax) experts")
        }
        guard Set(expertIDs).count == expertIDs.count else { throw .invalid(field: "expertIds", rule: "must not repeat an expert") }
    }
}
