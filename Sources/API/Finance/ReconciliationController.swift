import Foundation
import Hummingbird
import PostgresStore
import Reconciliation
import VoucherCore
import VoucherServices

/// Reconciliation (对账, SPEC §6), finance only unless said otherwise:
///
/// - `POST /v1/finance/statements?filename=…` a statement file (CSV in UTF-8/GBK, or camt.053) as the raw body, at most
///   `statementBytesMax` → 201 with the import result; 200 with `created` false for the same file again; 422
///   `statement_unreadable` with `lines: [{line, reason}]` when lines cannot be read (nothing is imported)
/// - `GET /v1/finance/statements` (paged), `GET /v1/finance/statements/{id}`
/// - `GET /v1/finance/statements/{id}/report[?outcome=a,b&page=&pageSize=]` totals by outcome, a page of lines (100 by
///   default, at most 500) of the outcomes named (all without `outcome`), batches paid with no receipt;
///   `?format=csv` every line (the full export)
/// - `POST /v1/finance/statement-lines/{id}/match` `{batchId, note}`, `POST /v1/finance/statement-lines/{id}/unmatch` `{note}`
/// - `POST /v1/finance/statement-lines/{id}/release` `{note}` hands a line a person decided back to automatic matching
/// - `GET /v1/finance/statement-lines/{id}/audit` the manual decisions about a line
/// - `POST /v1/finance/reconciliation/rematch` matches the open lines again (after transfers recorded late)
/// - `GET /v1/redemption/batches/{id}/receipts` (the batch's provider; operator, auditor, finance) the lines linked to it
struct ReconciliationController {
    let env: ReconciliationEnvironment

    /// The largest statement upload: 32 MiB, about a year of a busy account's receipts. Larger
    /// than the server's JSON body limit on purpose; `Upload.read` collects up to this bound only.
    static let statementBytesMax = 32 * 1024 * 1024
    /// The name stored when the upload does not give one.
    static let defaultFilename = "statement"

    var endpoints: RouteCollection<AppRequestContext> {
        RouteCollection(context: AppRequestContext.self)
            .post("finance/statements", use: upload)
            .get("finance/statements", use: statements)
            .get("finance/statements/:id", use: statement)
            .get("finance/statements/:id/report", use: report)
            .post("finance/statement-lines/:id/match", use: match)
            .post("finance/statement-lines/:id/unmatch", use: unmatch)
            .post("finance/statement-lines/:id/release", use: release)
            .get("finance/statement-lines/:id/audit", use: audit)
            .post("finance/reconciliation/rematch", use: rematch)
            .get("redemption/batches/:id/receipts", use: receipts)
    }

    func statements(_ request: Request, _ context: AppRequestContext) async throws -> Page<StatementDTO> {
        _ = try context.requireIdentity(.finance)
        let page = try PageRequest(PageRequest.query(request))
        let result = try await env.reconciliation.statements(page: page.page, pageSize: page.pageSize)
        return Page(items: result.items.map(StatementDTO.init), page: page.page, pageSize: page.pageSize, total: result.total)
    }

    func statement(_ request: Request, _ context: AppRequestContext) async throws -> StatementDTO {
        _ = try context.requireIdentity(.finance)
        guard
            let statement = try await env.reconciliation.statement(
                id: try Self.id(context, prefix: ReconciliationRepository.statementPrefix))
        else {
            throw ReconciliationError.statementNotFound
        }
        return StatementDTO(statement)
    }

    func match(_ request: Request, _ context: AppRequestContext) async throws -> StatementLineDTO {
        let identity = try context.requireIdentity(.finance)
        var request = request
        let body = try await request.decodeJSON(as: MatchBody.self, context: context)
        return StatementLineDTO(
            try await env.reconciliation.match(
                lineID: try Self.lineID(context), batchID: body.batchId, actor: identity.userID, note: body.note, now: env.clock.now()))
    }

    func unmatch(_ request: Request, _ context: AppRequestContext) async throws -> StatementLineDTO {
        let identity = try context.requireIdentity(.finance)
        var request = request
        let body = try await request.decodeJSON(as: NoteBody.self, context: context)
        return StatementLineDTO(
            try await env.reconciliation.unmatch(
                lineID: try Self.lineID(context), actor: identity.userID, note: body.note, now: env.clock.now()))
    }

    func release(_ request: Request, _ context: AppRequestContext) async throws -> StatementLineDTO {
        let identity = try context.requireIdentity(.finance)
        var request = request
        let body = try await request.decodeJSON(as: NoteBody.self, context: context)
        return StatementLineDTO(
            try await env.reconciliation.release(
                lineID: try Self.lineID(context), actor: identity.userID, note: body.note, now: env.clock.now(), policy: env.importer.policy))
    }

    func audit(_ request: Request, _ context: AppRequestContext) async throws -> Page<AuditDTO> {
        _ = try context.requireIdentity(.finance)
        let page = try PageRequest(PageRequest.query(request))
        guard let result = try await env.reconciliation.audit(lineID: try Self.lineID(context), page: page.page, pageSize: page.pageSize) else {
            throw ReconciliationError.lineNotFound
        }
        return Page(items: result.items.map(AuditDTO.init), page: page.page, pageSize: page.pageSize, total: result.total)
    }

    func rematch(_ request: Request, _ context: AppRequestContext) async throws -> RematchDTO {
        _ = try context.requireIdentity(.finance)
        return RematchDTO(try await env.reconciliation.rematch(policy: env.importer.policy, now: env.clock.now()))
    }

    func receipts(_ request: Request, _ context: AppRequestContext) async throws -> Page<BatchReceiptDTO> {
        let viewer = try RedemptionController.viewer(context)
        let id = try RedemptionController.batchID(context)
        guard try await env.redemption.batch(id: id, viewer: viewer) != nil else { throw RedemptionError.batchNotFound }
        let page = try PageRequest(PageRequest.query(request))
        let result = try await env.reconciliation.receipts(batchID: id, page: page.page, pageSize: page.pageSize)
        return Page(items: result.items.map(BatchReceiptDTO.init), page: page.page, pageSize: page.pageSize, total: result.total)
    }

    func upload(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<ImportResultDTO> {
        let identity = try context.requireIdentity(.finance)
        let filename = PageRequest.query(request)["filename"] ?? Self.defaultFilename
        guard (1...ReconciliationLimits.filenameLengthMax).contains(filename.count) else { throw ReconciliationError.filenameInvalid }
        let upload = try await Upload.read(
            request, bytesMax: Self.statementBytesMax, sniff: { _ in "application/octet-stream" },
            tooLarge: ReconciliationError.statementTooLarge(bytesMax: Self.statementBytesMax),
            emptyDetail: "The body is empty. Send the statement file (CSV or camt.053 XML) as the request body.",
            unsupported: ReconciliationError.statementNotRecognised)
        let result = try await env.importer.importFile(
            upload.bytes, filename: filename, actor: identity.userID, source: .api, now: env.clock.now())
        return EditedResponse(status: result.created ? .created : .ok, response: ImportResultDTO(result))
    }

    func report(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try context.requireIdentity(.finance)
        let id = try Self.id(context, prefix: ReconciliationRepository.statementPrefix)
        let query = try StatementReportQuery(PageRequest.query(request))
        guard let report = try await env.reconciliation.report(statementID: id, selection: query.selection) else {
            throw ReconciliationError.statementNotFound
        }
        switch query.format {
        case .csv:
            return Response(
                status: .ok,
                headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"reconciliation-\(id).csv\""],
                body: .init(byteBuffer: ByteBuffer(string: StatementReportCSV.render(report))))
        case .json:
            return try context.responseEncoder.encode(StatementReportDTO(report), from: request, context: context)
        }
    }

    static func lineID(_ context: AppRequestContext) throws -> String {
        try id(context, prefix: ReconciliationRepository.linePrefix)
    }

    /// The path's id; garbage is a 400 `id_malformed` (no database round trip).
    static func id(_ context: AppRequestContext, prefix: String) throws -> String {
        guard let id = context.parameters.get("id"), OpaqueID.isWellFormed(id, prefix: prefix) else { throw OpaqueIDError.malformed(prefix: prefix) }
        return id
    }
}
