import Foundation
import HTTPTypes
import PostgresNIO
import PostgresStore
import TestSupport
import Testing
import VoucherCore
import VoucherServices

/// Approvals that show what they decide (issue 14, item 4): inbox items name their subject and
/// organisation, the detail carries a snapshot of the subject, and the subject's files download
/// for the application's viewers only.
@Suite("Approval subjects")
struct ApprovalSubjectTests {
    /// An order of `ent_x` (某企业) for a listed product of the provider, with one PNG proof and
    /// its payment submitted; answers (order id, approval id).
    static func paymentUnderReview(_ world: RedemptionWorld) async throws -> (String, String) {
        let (productID, specIDs) = try await ListingChain(client: world.client, postgres: world.postgres, tokens: world.tokens).listedProduct(
            providerToken: try await world.providerToken(), specs: [ListingChain.spec(unitPriceFen: 1_000_000)])
        let specID = try #require(specIDs.first)
        let voucher = try await world.grantVoucher(org: "ent_x", faceFen: 200_000, kind: "diagnostic")
        let placed = try await world.call(
            .post, "/v1/orders", token: try await world.token("ent_x"),
            json: ["productId": productID, "specId": specID, "quantity": 1, "voucherIds": [voucher]], headers: [.idempotencyKey: "subject-1"])
        let orderID = try #require(placed.string("id"), "\(placed.json)")
        #expect(try await world.call(.post, "/v1/orders/\(orderID)/proofs", token: try await world.token("ent_x"), raw: Files.png).status == .ok)
        let submitted = try await world.call(.post, "/v1/orders/\(orderID)/payment", token: try await world.token("ent_x"))
        return (orderID, try #require(submitted.string("approvalId"), "\(submitted.json)"))
    }

    /// Proves a payment approval names its subject in every tab of the inbox (order id, the
    /// enterprise's name 企业名称), its detail shows the order's amounts and deduction with the
    /// proof, the proof downloads for the operator and the enterprise, and everyone else — the
    /// order's provider, an auditor (not in the chain), another enterprise — gets 404 for the
    /// detail and the file alike; a malformed file id is 400, an unknown one 404 file_not_found.
    @Test func paymentApprovalShowsTheOrderAndItsProofs() async throws {
        try await RedemptionWorld.run { world in
            let (orderID, approval) = try await Self.paymentUnderReview(world)
            let operatorToken = try await world.platformToken(.operator)
            let waiting = try await world.call(.get, "/v1/approvals/waiting", token: operatorToken)
            let item = try #require(waiting.items.first { $0["id"] as? String == approval })
            #expect(item["subjectType"] as? String == "order")
            #expect(item["subjectId"] as? String == orderID)
            #expect(item["organisationName"] as? String == "某企业")
            let mine = try await world.call(.get, "/v1/approvals/mine", token: try await world.token("ent_x"))
            #expect(mine.items.first?["subjectId"] as? String == orderID, "\(mine.json)")

            let detail = try await world.call(.get, "/v1/approvals/\(approval)", token: operatorToken)
            #expect(detail.status == .ok, "\(detail.json)")
            let subject = try #require(detail.json["subject"] as? [String: Any])
            #expect(subject["type"] as? String == "order")
            let order = try #require(subject["order"] as? [String: Any])
            #expect(order["id"] as? String == orderID)
            #expect((order["totalFen"] as? NSNumber)?.int64Value == 1_000_000)
            #expect((order["deductionFen"] as? NSNumber)?.int64Value == 200_000)
            #expect((order["payableFen"] as? NSNumber)?.int64Value == 800_000)
            #expect(order["specName"] as? String == "标准版")
            let files = try #require(subject["files"] as? [[String: Any]])
            #expect(files.count == 1)
            #expect(files.first?["purpose"] as? String == "proof")
            #expect(files.first?["attempt"] as? Int == 1)
            let fileID = try #require(files.first?["id"] as? String)
            let path = "/v1/approvals/\(approval)/files/\(fileID)"
            #expect(files.first?["download"] as? String == path)

            for token in [operatorToken, try await world.token("ent_x")] {
                let download = try await world.call(.get, path, token: token)
                #expect(download.status == .ok)
                #expect(download.body == Files.png)
                #expect(download.headers[.contentType] == "image/png")
            }
            try await world.postgres.query(
                "INSERT INTO organisations (id, kind, name, certification) VALUES ('ent_y', 'enterprise', '别家企业', 'certified')")
            try await world.postgres.query(
                """
                INSERT INTO users (id, org_id, username, password_hash, role, is_main)
                VALUES ('usr_ent_y', 'ent_y', 'enterprise_y', 'x', 'enterprise', true)
                """)
            let outsiders = [try await world.providerToken(), try await world.platformToken(.auditor), try await world.token("ent_y")]
            for token in outsiders {
                let hidden = try await world.call(.get, "/v1/approvals/\(approval)", token: token)
                #expect(hidden.status == .notFound, "\(hidden.json)")
                let file = try await world.call(.get, path, token: token)
                #expect(file.status == .notFound)
                #expect(file.code == "not_found")
            }
            let malformed = try await world.call(.get, "/v1/approvals/\(approval)/files/not-a-hash", token: operatorToken)
            #expect(malformed.status == .badRequest)
            #expect(malformed.code == "id_malformed")
            let unknown = try await world.call(.get, "/v1/approvals/\(approval)/files/\(String(repeating: "0", count: 64))", token: operatorToken)
            #expect(unknown.status == .notFound)
            #expect(unknown.code == "file_not_found")

            #expect(try await world.decide(approval, role: .operator, approve: true).status == .ok)
            let history = try await world.call(.get, "/v1/approvals/history", token: operatorToken)
            let decided = try #require(history.items.first { $0["id"] as? String == approval }, "\(history.json)")
            #expect(decided["subjectType"] as? String == "order")
            #expect(decided["subjectId"] as? String == orderID)
            #expect(decided["organisationName"] as? String == "某企业")
            #expect(decided["subject"] == nil, "the snapshot is the detail's, not the list's")
        }
    }

    /// Proves a batch approval shows the batch, its usages and its archive to the auditor who
    /// decides it and to the provider; another provider gets 404; a file of another subject (the
    /// payment proof) is not served through the batch's application even to a decider.
    @Test func batchApprovalShowsTheBatchItsUsagesAndArchive() async throws {
        try await RedemptionWorld.run { world in
            let usages = try await world.completedUsages(pricesFen: [1_000_000, 500_000])
            let submitted = try await world.submit(usages, payee: try await world.payeeAccount())
            let approval = try #require(submitted.string("approvalId"), "\(submitted.json)")
            let auditor = try await world.platformToken(.auditor)
            let waiting = try await world.call(.get, "/v1/approvals/waiting", token: auditor)
            let item = try #require(waiting.items.first { $0["id"] as? String == approval })
            #expect(item["subjectType"] as? String == "redemption_batch")
            #expect(item["subjectId"] as? String == submitted.string("id"))
            #expect(item["organisationName"] as? String == RedemptionWorld.providerName)

            let detail = try await world.call(.get, "/v1/approvals/\(approval)", token: auditor)
            let subject = try #require(detail.json["subject"] as? [String: Any], "\(detail.json)")
            #expect((subject["batch"] as? [String: Any])?["reference"] as? String == submitted.string("reference"))
            #expect((subject["batch"] as? [String: Any])?["totalFen"] as? Int == 450_000)
            let listed = try #require(subject["usages"] as? [[String: Any]])
            #expect(Set(listed.compactMap { $0["id"] as? String }) == Set(usages))
            let files = try #require(subject["files"] as? [[String: Any]])
            #expect(files.map { $0["purpose"] as? String } == ["archive"])
            let archivePath = try #require(files.first?["download"] as? String)
            for token in [auditor, try await world.providerToken()] {
                let archive = try await world.call(.get, archivePath, token: token)
                #expect(archive.status == .ok)
                #expect(archive.body == Files.zip)
            }
            let other = try await world.call(.get, archivePath, token: try await world.providerToken(RedemptionWorld.otherProvider))
            #expect(other.status == .notFound)

            let proof = Secrets.sha256Hex(Files.png)
            let crossed = try await world.call(.get, "/v1/approvals/\(approval)/files/\(proof)", token: auditor)
            #expect(crossed.status == .notFound)
            #expect(crossed.code == "file_not_found")
        }
    }

    /// Proves a certification approval shows the registration as submitted (name, credit code,
    /// contact, details) with the licence, which downloads for the operator; and that an
    /// application of a type this build has no snapshot for (here a made-up `survey_review`) still
    /// lists with its subject and answers a minimal subject rather than an error.
    @Test func certificationShowsTheRegistrationAndUnknownTypesStayGeneric() async throws {
        try await RedemptionWorld.run { world in
            let licence = try await world.files.store(Files.png, mediaType: "image/png")
            try await world.postgres.query(
                """
                INSERT INTO organisations (id, kind, name, uscc, certification)
                VALUES ('org_new', 'enterprise', '新申请企业', '91350100M000100Y43', 'under_review')
                """)
            try await world.postgres.query(
                """
                INSERT INTO users (id, org_id, username, password_hash, role, is_main)
                VALUES ('usr_new', 'org_new', 'new_main', 'x', 'enterprise', true)
                """)
            try await world.postgres.query(
                "INSERT INTO stored_files (sha256, media_type, size_bytes) VALUES (\(licence.sha256), 'image/png', \(Int64(Files.png.count)))")
            try await world.postgres.query(
                """
                INSERT INTO organisation_profiles (org_id, name, uscc, contact_name, contact_phone, licence_sha256, details, submitted_at)
                VALUES ('org_new', '新申请企业', '91350100M000100Y43', '李四', '13900000009', \(licence.sha256),
                    '{"name": "新申请企业", "contactName": "李四"}', now())
                """)
            let certification = OpaqueID.make(prefix: "apl")
            let unknown = OpaqueID.make(prefix: "apl")
            for (id, type, subject) in [(certification, "certification", "org_new"), (unknown, "survey_review", "prd_elsewhere")] {
                try await world.postgres.query(
                    """
                    INSERT INTO approval_applications (id, type, title, applicant_user_id, applicant_name, org_id, subject_id, stage_roles,
                        created_at, updated_at)
                    VALUES (\(id), \(type), '申请', 'usr_new', 'new_main', 'org_new', \(subject), ARRAY['operator'], now(), now())
                    """)
            }
            let operatorToken = try await world.platformToken(.operator)
            let waiting = try await world.call(.get, "/v1/approvals/waiting", token: operatorToken)
            let types = Dictionary(
                uniqueKeysWithValues: waiting.items.compactMap { item in
                    (item["id"] as? String).map { ($0, item["subjectType"] as? String ?? "-") }
                })
            #expect(types[certification] == "organisation")
            #expect(types[unknown] == "survey_review", "a type without a snapshot shows its own name")

            let detail = try await world.call(.get, "/v1/approvals/\(certification)", token: operatorToken)
            let subject = try #require(detail.json["subject"] as? [String: Any], "\(detail.json)")
            let organisation = try #require(subject["organisation"] as? [String: Any])
            #expect(organisation["name"] as? String == "新申请企业")
            #expect(organisation["unifiedSocialCreditCode"] as? String == "91350100M000100Y43")
            #expect(organisation["contactName"] as? String == "李四")
            #expect(organisation["certification"] as? String == "under_review")
            #expect((organisation["details"] as? [String: Any])?["contactName"] as? String == "李四")
            let files = try #require(subject["files"] as? [[String: Any]])
            #expect(files.first?["purpose"] as? String == "licence")
            let download = try await world.call(.get, try #require(files.first?["download"] as? String), token: operatorToken)
            #expect(download.body == Files.png)
            #expect(try await world.call(.get, "/v1/approvals/\(certification)", token: try await world.token("ent_x")).status == .notFound)

            let generic = try await world.call(.get, "/v1/approvals/\(unknown)", token: operatorToken)
            #expect(generic.status == .ok, "\(generic.json)")
            let minimal = try #require(generic.json["subject"] as? [String: Any])
            #expect(minimal["type"] as? String == "survey_review")
            #expect(minimal["id"] as? String == "prd_elsewhere")
            #expect((minimal["files"] as? [Any])?.isEmpty == true)
        }
    }
}
