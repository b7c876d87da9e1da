import Foundation
import Logging
import PostgresNIO
import VoucherCore

/// Step two of registration as stored: the organisation's details draft.
public struct ProfileRecord: Sendable, Equatable {
    public var name: String?
    public var uscc: String?
    public var contactName: String?
    public var contactPhone: String?
    public var licenceSHA256: String?
    /// The remaining fields of the guide as a JSON object (text), validated by the API.
    public var detailsJSON: String
    public var submittedAt: Date?
    public var updatedAt: Date?

    public init(
        name: String?, uscc: String?, contactName: String?, contactPhone: String?, licenceSHA256: String?,
        detailsJSON: String, submittedAt: Date? = nil, updatedAt: Date? = nil
    ) {
        self.name = name
        self.uscc = uscc
        self.contactName = contactName
        self.contactPhone = contactPhone
        self.licenceSHA256 = licenceSHA256
        self.detailsJSON = detailsJSON
        self.submittedAt = submittedAt
        self.updatedAt = updatedAt
    }
}

/// The enterprise demand survey (企业需求收集) as stored.
public struct SurveyRecord: Sendable, Equatable {
    public var companyName: String
    public var city: String
    /// One of the seven company types of the guide (`private`, `state_owned`, …).
    public var companyType: String
    /// Further answers as a JSON object (text).
    public var answersJSON: String
    public var answeredAt: Date

    public init(companyName: String, city: String, companyType: String, answersJSON: String, answeredAt: Date) {
        self.companyName = companyName
        self.city = city
        self.companyType = companyType
        self.answersJSON = answersJSON
        self.answeredAt = answeredAt
    }
}

/// Registration, drafts, survey and certification submission in PostgreSQL.
public struct RegistrationRepository: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Step one: the organisation (in `draft`) and its main account, with the password in history.
    /// Throws `usernameTaken` or `phoneTaken` and writes nothing in that case.
    public func register(_ organisation: OrganisationRecord, mainUser: UserRecord, now: Date) async throws {
        precondition(mainUser.orgID == organisation.id && mainUser.isMain, "the main user belongs to the organisation")
        do {
            try await client.transaction(logger: logger) { tx in
                try await tx.query(
                    """
                    INSERT INTO organisations (id, kind, name, uscc, certification, created_at, updated_at)
                    VALUES (\(organisation.id), \(organisation.kind.rawValue), \(organisation.name), \(organisation.uscc),
                            \(organisation.certification.rawValue), \(now), \(now))
                    """, logger: logger)
                try await AccountsRepository(client: client, logger: logger).insert(mainUser, tx)
                try await tx.query(
                    """
                    INSERT INTO password_history (user_id, password_hash, set_at) VALUES (\(mainUser.id), \(mainUser.passwordHash), \(now))
                    """, logger: logger)
            }
        } catch {
            throw AccountsStoreError.fromUniqueViolation(error) ?? error
        }
    }

    /// The saved details of an organisation, if any were saved.
    public func profile(orgID: String) async throws -> ProfileRecord? {
        let rows = try await client.query(
            """
            SELECT name, uscc, contact_name, contact_phone, licence_sha256, details::text, submitted_at, updated_at
            FROM organisation_profiles WHERE org_id = \(orgID)
            """, logger: logger)
        for try await (name, uscc, contact, phone, licence, details, submitted, updated) in rows.decode(
            (String?, String?, String?, String?, String?, String, Date?, Date).self)
        {
            return ProfileRecord(
                name: name, uscc: uscc, contactName: contact, contactPhone: phone, licenceSHA256: licence,
                detailsJSON: details, submittedAt: submitted, updatedAt: updated)
        }
        return nil
    }

    /// Saves (replaces) the draft while the organisation is `draft` or `rejected`; later it is
    /// under review or certified and the details are frozen.
    public func saveProfile(orgID: String, _ profile: ProfileRecord, now: Date) async throws {
        do {
            try await client.transaction(logger: logger) { tx in
                let state = try await Self.lockCertification(orgID: orgID, tx, logger: logger)
                guard state.isEditable else { throw AccountsStoreError.wrongCertificationState(current: state.rawValue) }
                // The licence is set by its own upload and kept across saves of the other fields.
                try await tx.query(
                    """
                    INSERT INTO organisation_profiles (org_id, name, uscc, contact_name, contact_phone, details, updated_at)
                    VALUES (\(orgID), \(profile.name), \(profile.uscc), \(profile.contactName), \(profile.contactPhone),
                            \(profile.detailsJSON)::jsonb, \(now))
                    ON CONFLICT (org_id) DO UPDATE SET name = excluded.name, uscc = excluded.uscc,
                        contact_name = excluded.contact_name, contact_phone = excluded.contact_phone,
                        details = excluded.details, updated_at = excluded.updated_at
                    """, logger: logger)
            }
        } catch {
            throw AccountsStoreError.fromUniqueViolation(error) ?? error
        }
    }

    /// Records a stored file's metadata; storing the same content twice is one row.
    public func recordFile(sha256: String, mediaType: String, sizeBytes: Int) async throws {
        try await client.query(
            """
            INSERT INTO stored_files (sha256, media_type, size_bytes) VALUES (\(sha256), \(mediaType), \(Int64(sizeBytes)))
            ON CONFLICT (sha256) DO NOTHING
            """, logger: logger)
    }

    /// Saves (replaces) the enterprise's survey answers; allowed in every state, since a
    /// certified enterprise may update its needs.
    public func saveSurvey(orgID: String, _ survey: SurveyRecord) async throws {
        try await client.query(
            """
            INSERT INTO enterprise_surveys (org_id, company_name, city, company_type, answers, answered_at)
            VALUES (\(orgID), \(survey.companyName), \(survey.city), \(survey.companyType), \(survey.answersJSON)::jsonb, \(survey.answeredAt))
            ON CONFLICT (org_id) DO UPDATE SET company_name = excluded.company_name, city = excluded.city,
                company_type = excluded.company_type, answers = excluded.answers, answered_at = excluded.answered_at
            """, logger: logger)
    }

    /// The enterprise's survey answers, if given.
    public func survey(orgID: String) async throws -> SurveyRecord? {
        let rows = try await client.query(
            """
            SELECT company_name, city, company_type, answers::text, answered_at FROM enterprise_surveys WHERE org_id = \(orgID)
            """, logger: logger)
        for try await (name, city, type, answers, at) in rows.decode((String, String, String, String, Date).self) {
            return SurveyRecord(companyName: name, city: city, companyType: type, answersJSON: answers, answeredAt: at)
        }
        return nil
    }

    /// Submits the saved details for certification in one transaction: the organisation takes the
    /// draft's name and code, goes `under_review`, and a certification application is filed.
    /// Returns the application's id.
    public func submit(orgID: String, application: NewApproval, now: Date) async throws -> String {
        do {
            return try await client.transaction(logger: logger) { tx in
                let state = try await Self.lockCertification(orgID: orgID, tx, logger: logger)
                guard state.isEditable else { throw AccountsStoreError.wrongCertificationState(current: state.rawValue) }
                let rows = try await tx.query(
                    """
                    SELECT p.name, p.uscc, o.kind, EXISTS (SELECT 1 FROM enterprise_surveys s WHERE s.org_id = o.id)
                    FROM organisations o JOIN organisation_profiles p ON p.org_id = o.id WHERE o.id = \(orgID)
                    """, logger: logger)
                var found: (String?, String?, String, Bool)?
                for try await row in rows.decode((String?, String?, String, Bool).self) { found = row }
                guard let (name, uscc, kind, answered) = found, let name else { throw AccountsStoreError.profileMissing }
                if kind == OrganisationRecord.Kind.enterprise.rawValue, !answered { throw AccountsStoreError.surveyMissing }
                try await tx.query(
                    """
                    UPDATE organisations SET name = \(name), uscc = \(uscc), certification = 'under_review', updated_at = \(now)
                    WHERE id = \(orgID)
                    """, logger: logger)
                try await tx.query("UPDATE organisation_profiles SET submitted_at = \(now) WHERE org_id = \(orgID)", logger: logger)
                return try await ApprovalsRepository.file(application, now: now, on: tx, logger: logger)
            }
        } catch {
            throw AccountsStoreError.fromUniqueViolation(error) ?? error
        }
    }

    /// Locks the organisation's row and returns its certification state.
    static func lockCertification(
        orgID: String, _ tx: PostgresConnection, logger: Logger
    ) async throws -> OrganisationRecord.Certification {
        let rows = try await tx.query("SELECT certification FROM organisations WHERE id = \(orgID) FOR UPDATE", logger: logger)
        for try await state in rows.decode(String.self) {
            return try StoredValue.decode(OrganisationRecord.Certification.self, state, column: "organisations.certification")
        }
        throw AccountsStoreError.notFound
    }
}

extension RegistrationRepository {
    /// Points the draft at a stored licence image, creating the draft if none was saved yet;
    /// allowed while the organisation is `draft` or `rejected`.
    public func setLicence(orgID: String, sha256: String, now: Date) async throws {
        do {
            try await client.transaction(logger: logger) { tx in
                let state = try await Self.lockCertification(orgID: orgID, tx, logger: logger)
                guard state.isEditable else { throw AccountsStoreError.wrongCertificationState(current: state.rawValue) }
                try await tx.query(
                    """
                    INSERT INTO organisation_profiles (org_id, licence_sha256, updated_at) VALUES (\(orgID), \(sha256), \(now))
                    ON CONFLICT (org_id) DO UPDATE SET licence_sha256 = excluded.licence_sha256, updated_at = excluded.updated_at
                    """, logger: logger)
            }
        } catch {
            throw AccountsStoreError.fromUniqueViolation(error) ?? error
        }
    }
}

extension RegistrationRepository {
    /// Creates the platform organisation if it is missing (operator-side accounts belong to it).
    public func ensurePlatform(_ platform: OrganisationRecord, now: Date) async throws {
        precondition(platform.kind == .platform, "only the platform organisation is ensured this way")
        try await client.query(
            """
            INSERT INTO organisations (id, kind, name, certification, created_at, updated_at)
            VALUES (\(platform.id), 'platform', \(platform.name), 'certified', \(now), \(now))
            ON CONFLICT (id) DO NOTHING
            """, logger: logger)
    }
}
