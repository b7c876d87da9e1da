import API
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import PostgresStore
import Rush
import TestSupport
import Testing
import VoucherCore
import VoucherServices

/// The one problem-code convention against the served document and real answers: a renamed code
/// keeps its old names (`aliases` in the answer, `x-code-aliases` in the document), every code a
/// feature error can carry is documented under the status it answers with and on the operations
/// that throw it, and a path id that does not parse is 400 `id_malformed` on every route.
@Suite struct ProblemCodeTests {
    /// The status `Problem(domain:)` gives each kind.
    static func status(_ kind: DomainError.Kind) -> Int {
        switch kind {
        case .invalidInput: 400
        case .unauthorized: 401
        case .forbidden: 403
        case .notFound: 404
        case .conflict: 409
        case .unprocessable: 422
        case .tooLarge: 413
        case .unsupportedFormat: 415
        case .rateLimited: 429
        case .unavailable: 503
        }
    }

    static let grabKey = IdempotencyKeyError.invalid(reserved: IdempotencyKey.grabReserved)
    static let plainKey = IdempotencyKeyError.invalid(reserved: [])

    /// The feature errors each operation's handler can throw, one sample per case: the document
    /// must list every one of their codes on that operation.
    static let thrownByOperation: [String: [any DomainErrorConvertible]] = {
        let orderBody: [any DomainErrorConvertible] = [
            OrdersError.productNotFound, OrdersError.specNotFound, OrdersError.voucherNotFound(id: "v"), OrdersError.voucherNotApplicable(id: "v"),
            OrdersError.vouchersOnFreeOrder, OrdersError.quantityOutOfRange(0), OrdersError.orderTotalTooLarge,
            DeductionError.duplicateVoucher(id: "v"), DeductionError.tooManyVouchers(count: 99),
            DeductionError.voucherExpired(id: "v", validUntil: Date(timeIntervalSince1970: 0)),
        ]
        let window = Date(timeIntervalSince1970: 0)
        let listingBody: [any DomainErrorConvertible] = [
            ListingError.invalid(field: "name", rule: "must have 1 to 100 characters"), ListingError.solutionClassesTooMany(6),
            ListingError.industriesTooMany(4), ListingError.priceRangeInvalid, ListingError.caseStudiesMissing(2), ListingError.fileUnknown("f"),
            OrdersError.invalidProduct("A product needs 1 to 20 specs."),
        ]
        let listingState = ListingError.stateConflict(current: "in review", action: "edited")
        let reviewContent: [any DomainErrorConvertible] = [
            ReviewError.starsInvalid, ReviewError.textTooShort(length: 0), ReviewError.textTooLong(length: 501),
        ]
        let expertBody: [any DomainErrorConvertible] = [
            ExpertError.invalid(field: "gender", rule: "r"), ExpertError.nameTooLong(31), ExpertError.experienceTooLong(201),
            ExpertError.photoUnknown("f"),
        ]
        return [
            "createProduct": listingBody,
            "updateProduct": listingBody + [OrdersError.productNotFound, listingState],
            "submitProduct": [OrdersError.productNotFound, listingState],
            "withdrawProduct": [OrdersError.productNotFound, listingState],
            "delistProduct": [OrdersError.productNotFound, listingState],
            "uploadProductFile": [
                ListingError.fileKindInvalid, ListingError.imageTooLarge, ListingError.documentTooLarge, ListingError.imageUnsupportedFormat,
                ListingError.documentUnsupportedFormat,
            ],
            "createExpert": expertBody,
            "updateExpert": expertBody + [ExpertError.notFound],
            "uploadExpertPhoto": [ExpertError.photoTooLarge, ExpertError.photoUnsupportedFormat],
            "setListingExperts": [ExpertError.attachUnknown("e"), ListingError.invalid(field: "expertIds", rule: "r"), OrdersError.productNotFound],
            "deleteExpert": [ExpertError.notFound],
            "quoteOrder": orderBody,
            "placeOrder": orderBody + [OrdersError.idempotencyKeyMissing, plainKey, OrdersError.idempotencyKeyReused],
            "uploadPaymentProof": [
                OpaqueIDError.malformed(prefix: "ord"), OrdersError.orderNotFound, OrdersError.proofTooLarge, OrdersError.proofUnsupportedFormat,
                OrdersError.proofsTooMany, OrdersError.invalidState(current: "paid", action: "changed"),
            ],
            "grabVoucher": [
                GrabRefusal.notCertified, GrabRefusal.notGrabbable, GrabRefusal.soldOut, GrabRefusal.notOpen(startMs: 0, endMs: 1),
                GrabRefusal.ended(startMs: 0, endMs: 1), GrabRefusal.limitReached(held: 1), GrabRefusal.lotNotLoaded, grabKey,
                OpaqueIDError.malformedParameter(name: "lotID"), CampaignError.lotNotFound,
            ],
            "applyForVoucher": [
                CampaignRequestError.notCertified, CampaignRequestError.lotNotApplicable,
                CampaignRequestError.notOpen(opensAt: window, closesAt: window),
                CampaignRequestError.ended(opensAt: window, closesAt: window), CampaignError.lotNotFound, VoucherApplicationError.alreadyPending,
                VoucherApplicationError.limitReached(held: 1), VoucherApplicationError.soldOut,
            ],
            "rejectVoucherApplication": [CampaignRequestError.reasonMissing(lengthMax: 500), VoucherApplicationError.notFound],
            "listCampaigns": [CampaignRequestError.statusInvalid(allowed: ["draft", "published", "ended"])],
            "listVoucherApplications": [CampaignRequestError.statusInvalid(allowed: ["pending", "approved", "rejected"])],
            "restockLot": [
                CampaignRequestError.input(code: "lot_stock_invalid", detail: "stock"), CampaignError.campaignNotFound, CampaignError.lotNotFound,
                CampaignError.ended, CampaignError.stockBelowIssued(issued: 1), CampaignError.lotNotLoaded,
            ],
            "fileRedemptionBatch": [
                RedemptionError.usagesEmpty, RedemptionError.usagesTooMany, RedemptionError.materialsTooLarge(archive: true),
                RedemptionError.materialsUnsupportedFormat(archive: true), plainKey, RedemptionError.idempotencyKeyReused,
                RedemptionError.usageNotFound(id: "u"), RedemptionError.usageNotRedeemable(id: "u"), RedemptionError.usageTaken(id: "u"),
            ],
            "uploadRedemptionMaterial": [
                RedemptionError.materialsTooLarge(archive: false), RedemptionError.materialsUnsupportedFormat(archive: false),
            ],
            "importStatement": [
                ReconciliationError.statementTooLarge(bytesMax: 1), ReconciliationError.statementNotRecognised, ReconciliationError.filenameInvalid,
                ReconciliationError.statementUnreadable(problems: []),
            ],
            "statementReport": [
                ReportQueryError.formatInvalid, ReportQueryError.csvWithJSONParameter(named: "page"), ReportQueryError.outcomeUnknown(name: "x"),
                ReconciliationError.statementNotFound,
            ],
            "payouts": [ReportQueryError.periodInvalid, ReportQueryError.formatInvalid],
            "disablePayeeAccount": [OpaqueIDError.malformed(prefix: "pay"), RedemptionError.accountNotFound],
            "listPayeeAccounts": [AccountsError.invalid("page_invalid", "page")],
            "statementLineAudit": [AccountsError.invalid("page_invalid", "page"), ReconciliationError.lineNotFound],
            "batchReceipts": [AccountsError.invalid("page_invalid", "page"), RedemptionError.batchNotFound],
            "createReview": reviewContent + [
                OpaqueIDError.malformed(prefix: "ord"), OrdersError.orderNotFound, ReviewError.orderNotAccepted(state: "paid"),
                ReviewError.reviewExists(reviewID: "rev"),
            ],
            "editReview": reviewContent + [ReviewError.notFound, ReviewError.editWindowClosed(until: window), ReviewError.hidden],
            "hideReview": [ReviewError.reasonMissing, ReviewError.reasonTooLong, ReviewError.notFound, ReviewError.hidden],
        ]
    }()

    /// Codes by operationId, and the statuses each code is listed under, over the whole document.
    static func documentedCodes(_ document: [String: Any]) -> (byOperation: [String: Set<String>], statuses: [String: Set<Int>]) {
        var byOperation: [String: Set<String>] = [:]
        var statuses: [String: Set<Int>] = [:]
        for (_, operation) in OpenAPITests.operations(document) {
            let id = operation["operationId"] as? String ?? "?"
            byOperation[id] = Set(operation["x-error-codes"] as? [String] ?? [])
            for (status, response) in operation["responses"] as? [String: [String: Any]] ?? [:] {
                for code in response["x-error-codes"] as? [String] ?? [] { statuses[code, default: []].insert(Int(status) ?? 0) }
            }
        }
        return (byOperation, statuses)
    }

    @Test func documentListsEveryThrownCodeOnItsOperationUnderItsStatus() async throws {
        // Proves every code the feature errors of an operation can carry (OrdersError, DeductionError, GrabRefusal,
        // CampaignError, RedemptionError, ReconciliationError, the report query's, the Idempotency-Key's, …) is among that
        // operation's documented codes, listed under exactly the status its kind answers with.
        let (_, document, _) = try await OpenAPITests.routesAndDocument()
        let (byOperation, statuses) = Self.documentedCodes(document)
        var missing: [String] = []
        for (operation, errors) in Self.thrownByOperation.sorted(by: { $0.key < $1.key }) {
            let documented = try #require(byOperation[operation], "no operation \(operation)")
            for error in errors {
                if !documented.contains(error.code) { missing.append("\(operation): \(error.code)") }
                let expected = Self.status(error.kind)
                #expect(statuses[error.code] == [expected], "\(error.code) answers \(expected) but is documented under \(statuses[error.code] ?? [])")
            }
        }
        #expect(missing.isEmpty, "thrown but not documented: \(missing)")
    }

    @Test func documentFollowsTheConventionAndNamesTheAliases() async throws {
        // Proves the document's x-code-aliases is the server's alias table, no documented code puts its fault first or is an
        // old name, every operation with a path id lists id_malformed, and the Problem schema declares aliases.
        let (_, document, _) = try await OpenAPITests.routesAndDocument()
        #expect(document["x-code-aliases"] as? [String: [String]] == ErrorCode.aliases)
        let (byOperation, statuses) = Self.documentedCodes(document)
        let oldNames = Set(ErrorCode.aliases.values.joined())
        for code in statuses.keys {
            #expect(!ErrorCode.faultFirstPrefixes.contains { code.hasPrefix($0) }, "\(code) puts its fault first")
            #expect(!oldNames.contains(code), "\(code) is an old name")
        }
        for (key, operation) in OpenAPITests.operations(document) where key.contains("{") {
            #expect(byOperation[operation["operationId"] as? String ?? ""]?.contains("id_malformed") == true, "\(key) lacks id_malformed")
        }
        let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
        let problem = try #require(schemas?["Problem"] as? [String: Any])
        #expect((problem["properties"] as? [String: Any])?["aliases"] != nil)
    }

    /// A certified main account of `role` that the server's live-session check finds, and its token.
    static func withCaller<T: Sendable>(
        _ body: @escaping @Sendable (any TestClientProtocol, [String: Any], @Sendable (Role) async throws -> String) async throws -> T
    ) async throws -> T {
        let (_, document, _) = try await OpenAPITests.routesAndDocument()
        let box = OpenAPIAnswersTests.DocumentBox(value: document)
        return try await TestDatabase.with { postgres, config in
            try await postgres.query(
                "INSERT INTO organisations (id, kind, name, certification) VALUES ('org_codes', 'enterprise', 'Codes', 'certified')")
            try await postgres.query(
                """
                INSERT INTO users (id, org_id, username, password_hash, role, is_main)
                VALUES ('usr_codes', 'org_codes', 'codes', 'x', 'enterprise', true)
                """)
            return try await OpenAPITests.withServer(config: config) { client, _, tokens in
                try await body(client, box.value) { role in
                    try await tokens.issueAccessToken(
                        for: Identity(userID: "usr_codes", orgID: "org_codes", role: role, certified: true, permissions: [Identity.allPermissions]))
                }
            }
        }
    }

    @Test func malformedPathIdsAre400AndUnknownWellFormedOnes404() async throws {
        // Proves every operation with a path id answers a garbage id with 400 (id_malformed when no body could be at fault
        // first; the web pages' 400 page) and never 404, while a well-formed id that names nothing stays 404 with the feature's not-found code.
        let wrong = try await Self.withCaller { client, document, token in
            var wrong: [String] = []
            var checked = 0
            for (key, operation) in OpenAPITests.operations(document) where key.contains("{") {
                let parts = key.split(separator: " ")
                let method = try #require(HTTPRequest.Method(String(parts[0])))
                let uri = "/" + parts[1].split(separator: "/").map { $0.hasPrefix("{") ? "bad%20id!" : String($0) }.joined(separator: "/")
                let roles = (operation["x-roles"] as? [String] ?? []).compactMap(Role.init(rawValue:))
                let bearer = try await token(roles.first ?? .enterprise)
                let answer = try await client.call(method, uri, token: bearer)
                checked += 1
                let hasBody = operation["requestBody"] != nil
                // A web page (tag Web) answers the 400 page, HTML without a code.
                let isPage = operation["tags"] as? [String] == ["Web"]
                if answer.status != .badRequest || (!hasBody && !isPage && answer.code != "id_malformed") {
                    wrong.append("\(key): \(answer.status.code) \(answer.code ?? "-")")
                }
            }
            #expect(checked > 35, "every operation with a path id is called")
            let unknown: [(Role, String, String)] = [
                (.enterprise, "/v1/orders/ord_00000000000000000000000000", "order_not_found"),
                (.operator, "/v1/redemption/batches/rdb_00000000000000000000000000", "batch_not_found"),
                (.finance, "/v1/finance/statements/st_00000000000000000000000000", "statement_not_found"),
                (.operator, "/v1/products/prd_00000000000000000000000000", "product_not_found"),
            ]
            for (role, path, code) in unknown {
                let answer = try await client.call(.get, path, token: try await token(role))
                if answer.status != .notFound || answer.code != code { wrong.append("\(path): \(answer.status.code) \(answer.code ?? "-")") }
            }
            return wrong
        }
        #expect(wrong.isEmpty, "\(wrong)")
    }

    @Test func renamedCodesAnswerWithTheirOldNames() async throws {
        // Proves a renamed code's answer carries its old name in aliases (page_invalid ← invalid_page, token_invalid ←
        // invalid_token, with RFC 6750's challenge unchanged), and a code that was never renamed carries no aliases.
        try await Self.withCaller { client, _, token in
            let bearer = try await token(.operator)
            let page = try await client.call(.get, "/v1/campaigns?page=0", token: bearer)
            #expect(page.status == .badRequest && page.code == "page_invalid", "\(page.json)")
            #expect(page.json["aliases"] as? [String] == ["invalid_page"])
            let status = try await client.call(.get, "/v1/campaigns?status=open", token: bearer)
            #expect(status.status == .badRequest && status.code == "status_invalid", "\(status.json)")
            #expect(status.json["aliases"] == nil)
            let forged = try await client.call(.get, "/v1/campaigns", token: "not.a.token")
            #expect(forged.status == .unauthorized && forged.code == "token_invalid", "\(forged.json)")
            #expect(forged.json["aliases"] as? [String] == ["invalid_token"])
            #expect(forged.headers[.wwwAuthenticate] == "Bearer error=\"invalid_token\"")
            let reject = try await client.call(
                .post, "/v1/voucher-applications/vap_00000000000000000000000000/reject", token: bearer, json: ["reason": " "])
            #expect(reject.status == .badRequest && reject.code == "reason_missing", "\(reject.json)")
            #expect(reject.json["aliases"] as? [String] == ["reason_required"])
        }
    }
}
