import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// Redemption (兑付, SPEC §5):
///
/// - `POST /v1/provider/payee-accounts` (provider) `{bank: "ABC", accountName, accountNumber}` adds a payee account (201)
/// - `GET /v1/provider/payee-accounts` (provider) its accounts; `POST /v1/provider/payee-accounts/{id}/disable`
/// - `POST /v1/redemption/batches?usageIds=a,b&payeeAccountId=…` (provider) the materials archive (.zip/.rar ≤ 10 MB) as
///   the raw body, optional `Idempotency-Key` (a replay answers 200 with the same batch): files a diagnostic batch and its
///   approval (auditor → operator → operator) (201)
/// - `GET /v1/redemption/batches` (`state` filters), `GET /v1/redemption/batches/{id}` (the provider its own; operator, auditor,
///   finance all)
/// - `GET`, `PUT /v1/provider/payee-accounts/{id}` (provider) one account with its history; an edit (`RedemptionController+Payees`)
/// - `GET /v1/redemption/batches/{id}/materials` the archive, for the same viewers
/// - `POST /v1/redemption/batches/{id}/transfer` (operator) `{amountFen, payerName, payerAccount, date, bankSerial}`; the
///   provider's 支付确认 opens in its inbox (`PaymentConfirmationEffect`), and `/confirm`, `/dispute` close it
/// - `POST /v1/redemption/batches/{id}/confirm` (provider) `{payerName, payerAccount, amountFen}` → redeemed
/// - `POST /v1/redemption/batches/{id}/dispute` (provider) `{reason}`; `POST /v1/redemption/batches/{id}/reject` (operator) `{reason}`
/// - `POST /v1/redemption/materials` (provider) one JPG/PNG/PDF/DOCX ≤ 10 MB as the raw body → `{sha256}`
/// - `POST /v1/redemption/general` (provider) `{enterpriseName, orderId, direction, payeeAccountId, materials: [sha256]}` files a
///   general-voucher redemption (operator approval, then the same transfer and confirmation) (201)
/// - `GET /v1/redemption/batches/{id}/files/{position}` a general batch's material, for the batch's viewers
/// - `GET /v1/finance/payouts?from=…&to=…[&format=csv]` (finance, operator) redeemed fen per provider, campaign and month
struct RedemptionController {
    let env: RedemptionEnvironment

    /// Roles that see every batch.
    static let platformRoles: [Role] = [.operator, .auditor, .finance]

    var endpoints: RouteCollection<AppRequestContext> {
        RouteCollection(context: AppRequestContext.self)
            .post("provider/payee-accounts", use: addPayee)
            .get("provider/payee-accounts", use: payees)
            .post("provider/payee-accounts/:id/disable", use: disablePayee)
            .get("provider/payee-accounts/:id", use: payee)
            .put("provider/payee-accounts/:id", use: editPayee)
            .post("redemption/batches", use: submit)
            .get("redemption/batches", use: batches)
            .get("redemption/batches/:id", use: batch)
            .get("redemption/batches/:id/materials", use: materials)
            .get("redemption/batches/:id/files/:position", use: file)
            .post("redemption/materials", use: uploadMaterial)
            .post("redemption/general", use: submitGeneral)
            .post("redemption/batches/:id/transfer", use: recordTransfer)
            .post("redemption/batches/:id/confirm", use: confirm)
            .post("redemption/batches/:id/dispute", use: dispute)
            .post("redemption/batches/:id/reject", use: reject)
            .get("finance/payouts", use: payouts)
    }

    func addPayee(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<PayeeDTO> {
        let identity = try context.requireIdentity(.provider)
        try await env.certification.require(identity, for: .payeeAccounts)
        var request = request
        let body = try await request.decodeJSON(as: PayeeBody.self, context: context)
        let account = try await env.payees.add(
            orgID: identity.orgID, bank: body.bank, accountName: body.accountName, accountNumber: body.accountNumber, now: env.clock.now())
        return EditedResponse(status: .created, response: PayeeDTO(account))
    }

    func payees(_ request: Request, _ context: AppRequestContext) async throws -> Page<PayeeDTO> {
        let identity = try context.requireIdentity(.provider)
        let page = try PageRequest(PageRequest.query(request))
        let result = try await env.payees.list(orgID: identity.orgID, page: page.page, pageSize: page.pageSize)
        return Page(items: result.items.map(PayeeDTO.init), page: page.page, pageSize: page.pageSize, total: result.total)
    }

    func disablePayee(_ request: Request, _ context: AppRequestContext) async throws -> PayeeDTO {
        let identity = try context.requireIdentity(.provider)
        let id = context.parameters.get("id") ?? ""
        try OpaqueID.validate(id, prefix: PayeeAccountsRepository.idPrefix)
        return PayeeDTO(try await env.payees.disable(id: id, orgID: identity.orgID, now: env.clock.now()))
    }

    func batches(_ request: Request, _ context: AppRequestContext) async throws -> Page<BatchDTO> {
        let viewer = try Self.viewer(context)
        let query = PageRequest.query(request)
        let page = try PageRequest(query)
        let state = try PlatformController.oneOf(query["state"], BatchState.allCases.map(\.rawValue), "state").flatMap(BatchState.init(rawValue:))
        let result = try await env.redemption.batches(viewer: viewer, state: state, page: page.page, pageSize: page.pageSize)
        return Page(items: result.items.map(BatchDTO.init), page: page.page, pageSize: page.pageSize, total: result.total)
    }

    func batch(_ request: Request, _ context: AppRequestContext) async throws -> BatchDTO {
        BatchDTO(try await visibleBatch(context))
    }

    func materials(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let batch = try await visibleBatch(context)
        guard let sha = batch.materialSHA256, let media = batch.materialMediaType else { throw RedemptionError.batchNotFound }
        return try await download(sha: sha, mediaType: media, name: "\(batch.reference).\(media == "application/zip" ? "zip" : "rar")")
    }

    func file(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let batch = try await visibleBatch(context)
        guard let position = context.parameters.get("position").flatMap({ Int($0) }), batch.files.indices.contains(position) else {
            throw RedemptionError.batchNotFound
        }
        let file = batch.files[position]
        return try await download(sha: file.sha256, mediaType: file.mediaType, name: "\(batch.reference)-\(position + 1)")
    }

    func submitGeneral(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<BatchDTO> {
        let identity = try context.requireIdentity(.provider)
        try await env.certification.require(identity, for: .redemption)
        var request = request
        let body = try await request.decodeJSON(as: GeneralBody.self, context: context)
        let batch = try await env.redemption.submitGeneral(
            NewGeneralRedemption(
                orgID: identity.orgID, userID: identity.userID, enterpriseName: body.enterpriseName, orderID: body.orderId,
                direction: body.direction, payeeAccountID: body.payeeAccountId, materialSHA256s: body.materials), now: env.clock.now())
        return EditedResponse(status: .created, response: BatchDTO(batch))
    }

    func recordTransfer(_ request: Request, _ context: AppRequestContext) async throws -> BatchDTO {
        let identity = try context.requireIdentity(.operator)
        var request = request
        let body = try await request.decodeJSON(as: TransferBody.self, context: context)
        return BatchDTO(
            try await env.redemption.recordTransfer(
                id: try Self.batchID(context),
                transfer: TransferRecord(
                    amountFen: body.amountFen, payerName: body.payerName, payerAccount: body.payerAccount, date: body.date,
                    bankSerial: body.bankSerial), recordedBy: identity.userID, now: env.clock.now()))
    }

    func confirm(_ request: Request, _ context: AppRequestContext) async throws -> BatchDTO {
        let identity = try context.requireIdentity(.provider)
        var request = request
        let body = try await request.decodeJSON(as: ConfirmBody.self, context: context)
        return BatchDTO(
            try await env.redemption.confirm(
                id: try Self.batchID(context), orgID: identity.orgID, userID: identity.userID, payerName: body.payerName,
                payerAccount: body.payerAccount,
                amountFen: body.amountFen, now: env.clock.now()))
    }

    func dispute(_ request: Request, _ context: AppRequestContext) async throws -> BatchDTO {
        let identity = try context.requireIdentity(.provider)
        var request = request
        let body = try await request.decodeJSON(as: ReasonBody.self, context: context)
        return BatchDTO(
            try await env.redemption.dispute(
                id: try Self.batchID(context), orgID: identity.orgID, userID: identity.userID, reason: body.reason, now: env.clock.now()))
    }

    func reject(_ request: Request, _ context: AppRequestContext) async throws -> BatchDTO {
        _ = try context.requireIdentity(.operator)
        var request = request
        let body = try await request.decodeJSON(as: ReasonBody.self, context: context)
        let id = try Self.batchID(context)
        let rejected = try await env.redemption.reject(id: id, reason: body.reason, now: env.clock.now())
        await env.cleanup.batchEnded(id)
        return BatchDTO(rejected)
    }

    func submit(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<BatchDTO> {
        let identity = try context.requireIdentity(.provider)
        try await env.certification.require(identity, for: .redemption)
        let query = PageRequest.query(request)
        let usageIDs = (query["usageIds"] ?? "").split(separator: ",").map { String($0) }
        guard !usageIDs.isEmpty else { throw RedemptionError.usagesEmpty }
        guard usageIDs.count <= RedemptionLimits.usagesPerBatchMax else { throw RedemptionError.usagesTooMany }
        guard let payee = query["payeeAccountId"], !payee.isEmpty else {
            throw RedemptionError.invalidInput("payeeAccountId is required: give the id of one of your active payee accounts.")
        }
        let upload = try await Upload.read(
            request, bytesMax: RedemptionLimits.materialBytesMax, sniff: ArchiveFormat.sniff,
            tooLarge: RedemptionError.materialsTooLarge(archive: true),
            emptyDetail: "The body is empty. Send the materials archive as the request body.",
            unsupported: RedemptionError.materialsUnsupportedFormat(archive: true))
        var key: String?
        key = try IdempotencyKey.validated(request.headers[.idempotencyKey])?.value
        let stored = try await env.storage.store(upload.bytes, mediaType: upload.mediaType, orgID: identity.orgID)
        let (batch, created) = try await env.redemption.submit(
            NewBatch(
                orgID: identity.orgID, userID: identity.userID, applicantName: identity.userID, usageIDs: usageIDs, payeeAccountID: payee,
                materialSHA256: stored.sha256, materialMediaType: upload.mediaType, materialSizeBytes: upload.bytes.count, idempotencyKey: key),
            now: env.clock.now())
        return EditedResponse(status: created ? .created : .ok, response: BatchDTO(batch))
    }

    func download(sha: String, mediaType: String, name: String) async throws -> Response {
        guard let bytes = try await env.files.read(sha256: sha) else { throw RedemptionError.batchNotFound }
        return Response(
            status: .ok, headers: [.contentType: mediaType, .contentDisposition: "attachment; filename=\"\(name)\""],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// One general-voucher material (JPG, PNG, PDF, DOCX ≤ 10 MB) as the raw body; answers its sha256 to cite when filing.
    func uploadMaterial(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<MaterialDTO> {
        let identity = try context.requireIdentity(.provider)
        let upload = try await Upload.read(
            request, bytesMax: RedemptionLimits.materialBytesMax, sniff: GeneralMaterialFormat.sniff,
            tooLarge: RedemptionError.materialsTooLarge(archive: false), emptyDetail: "The body is empty. Send the file as the request body.",
            unsupported: RedemptionError.materialsUnsupportedFormat(archive: false))
        let stored = try await env.storage.store(upload.bytes, mediaType: upload.mediaType, orgID: identity.orgID)
        let file = MaterialFile(sha256: stored.sha256, mediaType: upload.mediaType, sizeBytes: upload.bytes.count)
        try await env.redemption.addMaterial(orgID: identity.orgID, file: file, now: env.clock.now())
        return EditedResponse(status: .created, response: MaterialDTO(sha256: file.sha256, mediaType: file.mediaType, sizeBytes: file.sizeBytes))
    }

    func payouts(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.requireIdentity(.finance, .operator)
        let query = PageRequest.query(request)
        guard let from = query["from"].flatMap(RFC3339.parse), let to = query["to"].flatMap(RFC3339.parse), from < to else {
            throw ReportQueryError.periodInvalid
        }
        let format = try ReportFormat(query: query)
        let rows = try await env.redemption.payoutTotals(from: from, to: to)
        if format == .csv {
            var csv = "provider_org_id,provider_name,campaign_id,campaign_name,month,redeemed_fen,usage_count\n"
            for row in rows {
                csv +=
                    [
                        row.providerOrgID, row.providerName, row.campaignID, row.campaignName, row.month, String(row.redeemedFen),
                        String(row.usageCount),
                    ]
                    .map(CSVField.escape).joined(separator: ",") + "\n"
            }
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: csv)))
        }
        let body = PayoutsDTO(from: from, to: to, items: rows.map(PayoutDTO.init), totalFen: rows.reduce(0) { $0 + $1.redeemedFen })
        return try context.responseEncoder.encode(body, from: request, context: context)
    }

    static func viewer(_ context: AppRequestContext) throws -> BatchViewer {
        let identity = try context.requireIdentity(.provider, .operator, .auditor, .finance)
        return identity.role == .provider ? .provider(orgID: identity.orgID) : .platform
    }

    func visibleBatch(_ context: AppRequestContext) async throws -> BatchRecord {
        let viewer = try Self.viewer(context)
        guard let batch = try await env.redemption.batch(id: try Self.batchID(context), viewer: viewer) else { throw RedemptionError.batchNotFound }
        return batch
    }

    /// The path's batch id; garbage is a 400 `id_malformed` (no database round trip).
    static func batchID(_ context: AppRequestContext) throws -> String {
        guard let id = context.parameters.get("id"), OpaqueID.isWellFormed(id, prefix: RedemptionRepository.idPrefix) else {
            throw OpaqueIDError.malformed(prefix: RedemptionRepository.idPrefix)
        }
        return id
    }
}
