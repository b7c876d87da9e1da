import PostgresStore
import Reconciliation
import VoucherServices

private typealias Op = OpenAPIOperation

/// Finance and the platform roles, and the provider, that see a batch (`RedemptionController.viewer`).
private let batchViewers: [Role] = [.provider] + RedemptionController.platformRoles
/// The statement formats `StatementParser` reads, by content.
private let statementTypes = ["text/csv", "application/xml", "application/octet-stream"]

extension OpenAPIDocument {
    /// Finance: payouts (`RedemptionController`) and reconciliation (`ReconciliationController`).
    static let financeOperations: [OpenAPIOperation] = [
        Op(
            .get, "/v1/finance/payouts", id: "payouts", summary: "Redeemed fen per provider, campaign and month (China time), as JSON or CSV.",
            access: .signedIn([.finance, .operator]),
            parameters: [
                .query("from", Schema.time, "Start of the period.", required: true),
                .query("to", Schema.time, "End of the period, after from.", required: true),
                .query("format", Schema.oneOf(["json", "csv"]), "csv for a spreadsheet; JSON otherwise."),
            ],
            answer: .media(["application/json": Schema.ref("Payouts"), "text/csv; charset=utf-8": Schema.string]),
            errors: ["period_invalid", "format_invalid"]),
        Op(
            .post, "/v1/finance/statements", id: "importStatement",
            summary:
                "Import a bank statement (CSV in UTF-8/GBK, or camt.053 XML, by content) as the raw body and match its receipts: 201, or 200 "
                + "with created false for the same file again.",
            access: .signedIn([.finance]),
            body: .raw(mediaTypes: statementTypes, description: "The bank's export of electronic receipts (电子回单), at most 32 MiB."),
            parameters: [.query("filename", ["type": "string", "minLength": 1, "maxLength": 255], "The file's name, kept with the statement.")],
            status: 201, answer: .json(Schema.ref("ImportResult")), replayStatus: 200,
            errors: [
                "filename_invalid", "file_empty", "statement_too_large", "statement_too_many_lines", "statement_not_recognised",
                "statement_encoding_unknown", "statement_malformed", "statement_unreadable", "statement_empty",
            ]),
        Op(
            .get, "/v1/finance/statements", id: "listStatements", summary: "Imported statements, newest first.", access: .signedIn([.finance]),
            parameters: [.page, .pageSize], answer: .json(Schema.page(of: "Statement")), errors: ["page_invalid"]),
        Op(
            .get, "/v1/finance/statements/{id}", id: "statement", summary: "One imported statement.", access: .signedIn([.finance]),
            answer: .json(Schema.ref("Statement")), errors: ["statement_not_found"]),
        Op(
            .get, "/v1/finance/statements/{id}/report", id: "statementReport",
            summary:
                "Totals by outcome, a page of the lines (of the outcomes asked for) in line order, and batches marked paid with no receipt; or "
                + "every line as CSV (UTF-8 with BOM, yuan).",
            access: .signedIn([.finance]),
            parameters: [
                .query(
                    "format", ["type": "string", "enum": ["json", "csv"], "default": "json"],
                    "csv for a spreadsheet: every line, the full export; outcome, page and pageSize are JSON's only (400 format_invalid with csv)."),
                .query(
                    "outcome", ["type": "string", "pattern": .string(outcomeListPattern), "examples": ["amount_mismatch,ambiguous"]],
                    "Only lines with one of these outcomes, comma-separated; every line without it. totals stay the whole statement's."),
                .page,
                .query(
                    "pageSize",
                    [
                        "type": "integer", "minimum": 1, "maximum": .int(Int64(ReconciliationLimits.reportPageSizeMax)),
                        "default": .int(Int64(ReconciliationLimits.reportPageSizeDefault)),
                    ],
                    "Lines per page, at most \(ReconciliationLimits.reportPageSizeMax)."),
            ],
            answer: .media(["application/json": Schema.ref("StatementReport"), "text/csv; charset=utf-8": Schema.string]),
            errors: ["statement_not_found", "format_invalid", "outcome_unknown", "page_invalid"]),
        Op(
            .post, "/v1/finance/statement-lines/{id}/match", id: "matchStatementLine",
            summary: "Match a receipt to a paid batch by hand, with a note.",
            access: .signedIn([.finance]), body: .json(Schema.ref("MatchLine")), answer: .json(Schema.ref("StatementLine")),
            errors: ["statement_line_not_found", "batch_not_found", "note_missing", "line_not_payout", "batch_not_paid", "match_exceeds_batch"]),
        Op(
            .post, "/v1/finance/statement-lines/{id}/unmatch", id: "unmatchStatementLine", summary: "Undo a receipt's match, with a note.",
            access: .signedIn([.finance]), body: .json(Schema.ref("Note")), answer: .json(Schema.ref("StatementLine")),
            errors: ["statement_line_not_found", "note_missing", "line_not_payout"]),
        Op(
            .post, "/v1/finance/statement-lines/{id}/release", id: "releaseStatementLine",
            summary:
                "Hand a receipt a person matched or unmatched back to automatic matching, with a note; it is matched again at once and answered "
                + "with its automatic outcome.",
            access: .signedIn([.finance]), body: .json(Schema.ref("Note")), answer: .json(Schema.ref("StatementLine")),
            errors: ["statement_line_not_found", "note_missing", "line_not_payout", "line_not_decided"]),
        Op(
            .get, "/v1/finance/statement-lines/{id}/audit", id: "statementLineAudit",
            summary: "The manual decisions about a receipt, oldest first, a page at a time.",
            access: .signedIn([.finance]), parameters: [.page, .pageSize], answer: .json(Schema.page(of: "LineAudit")),
            errors: ["statement_line_not_found", "page_invalid"]),
        Op(
            .post, "/v1/finance/reconciliation/rematch", id: "rematch", summary: "Match the open receipts again (after transfers recorded late).",
            access: .signedIn([.finance]), answer: .json(Schema.ref("Rematch"))),
        Op(
            .get, "/v1/redemption/batches/{id}/receipts", id: "batchReceipts",
            summary: "The receipts linked to a batch, by booking day, a page at a time.", access: .signedIn(batchViewers),
            parameters: [.page, .pageSize], answer: .json(Schema.page(of: "BatchReceipt")), errors: ["batch_not_found", "page_invalid"]),
    ]

    /// The schemas of `ReconciliationDTO.swift`.
    static let financeSchemas: [String: OpenAPIJSON] = [
        "OutcomeTotals": Schema.map(Schema.object(["count": Schema.int, "amountFen": Schema.fen]))
            .merging(["description": "{outcome: {count, amountFen}} for every outcome (and paid_no_receipt in a report)."]),
        "Statement": Schema.object(
            [
                "id": Schema.id, "format": Schema.oneOf(["csv", "camt.053"]), "encoding": Schema.string, "sha256": Schema.sha256,
                "filename": Schema.string, "ownAccount": Schema.string, "periodFrom": Schema.date, "periodTo": Schema.date,
                "entryCount": Schema.int, "newCount": Schema.int, "knownCount": Schema.int, "importedBy": Schema.id,
                "source": Schema.oneOf(["api", "cli", "web"]), "createdAt": Schema.time,
            ], optional: ["ownAccount", "periodFrom", "periodTo", "importedBy"], description: "StatementDTO"),
        "ImportResult": Schema.object(
            [
                "statementId": Schema.id, "created": Schema.bool, "entries": Schema.int, "new": Schema.int, "known": Schema.int,
                "conflicts": Schema.array(Schema.object(["lineNumber": Schema.int, "serial": Schema.string, "reason": Schema.string])),
                "totals": Schema.ref("OutcomeTotals"), "statement": Schema.ref("Statement"),
            ], description: "ImportResultDTO"),
        "StatementLine": Schema.object(
            [
                "id": Schema.id, "serial": Schema.string("流水号, the dedupe key."), "lineNumber": Schema.int, "date": Schema.date,
                "time": Schema.string, "direction": Schema.oneOf(["debit", "credit"]), "amountFen": Schema.fen, "currency": Schema.string,
                "counterpartyName": Schema.string, "counterpartyAccount": Schema.string, "memo": Schema.string, "outcome": outcomeSchema,
                "batchId": Schema.id, "batchReference": Schema.string, "providerName": Schema.string,
                "candidateBatchIds": Schema.array(Schema.id),
                "candidateReferences": Schema.array(Schema.string("The candidates' RB… references, in the order of candidateBatchIds.")),
                "rule": ruleSchema, "note": Schema.string, "decidedBy": Schema.id,
                "matchedAt": Schema.time, "conflict": Schema.string,
            ], optional: ["time", "batchId", "batchReference", "providerName", "rule", "decidedBy", "matchedAt", "conflict"],
            description: "StatementLineDTO"),
        "UnpaidBatch": Schema.object(
            [
                "batchId": Schema.id, "reference": Schema.string, "providerOrgId": Schema.id, "providerName": Schema.string,
                "payeeName": Schema.string, "payeeNumber": Schema.string, "transferDate": Schema.date, "totalFen": Schema.fen,
                "settledFen": Schema.fen, "exceptionFen": Schema.fen, "uncoveredFen": Schema.fen, "outcome": Schema.string,
            ],
            description: "UnpaidBatchDTO: a batch marked paid in the statement's period that receipts do not cover; "
                + "exceptionFen is what receipts naming it without settling it show (reported under their outcomes), "
                + "uncoveredFen what no receipt shows (what paid_no_receipt counts)."),
        "StatementReport": Schema.object(
            [
                "statement": Schema.ref("Statement"), "totals": Schema.ref("OutcomeTotals"),
                "lines": Schema.array(Schema.ref("StatementLine"), max: Int64(ReconciliationLimits.reportPageSizeMax)),
                "page": ["type": "integer", "minimum": 1],
                "pageSize": ["type": "integer", "minimum": 1, "maximum": .int(Int64(ReconciliationLimits.reportPageSizeMax))],
                "total": ["type": "integer", "minimum": 0, "description": "Lines of the outcomes asked for, across every page."],
                "unpaidBatches": Schema.array(Schema.ref("UnpaidBatch")),
            ],
            description: "StatementReportDTO: totals and unpaidBatches are the whole statement's (unpaidBatches is not paged); "
                + "lines is one page."),
        "Rematch": Schema.object(
            ["openLines": Schema.int, "batches": Schema.int, "changed": Schema.int, "totals": Schema.ref("OutcomeTotals")],
            description: "RematchDTO"),
        "LineAudit": Schema.object(
            [
                "id": Schema.id, "lineId": Schema.id, "action": Schema.oneOf(["match", "unmatch", "release"]), "batchId": Schema.id,
                "actor": Schema.id, "note": Schema.string, "createdAt": Schema.time,
            ], optional: ["batchId"], description: "AuditDTO"),
        "BatchReceipt": Schema.object(
            ["serial": Schema.string, "date": Schema.date, "amountFen": Schema.fen, "outcome": outcomeSchema, "rule": ruleSchema],
            optional: ["rule"], description: "BatchReceiptDTO: nothing about other lines or counterparties."),
        "MatchLine": Schema.object(["batchId": Schema.id, "note": ["type": "string", "minLength": 1, "maxLength": 500]]),
        "Note": Schema.object(["note": ["type": "string", "minLength": 1, "maxLength": 500]]),
    ]

    static let outcomeSchema = Schema.oneOf(Outcome.allCases.map(\.rawValue))
    /// `outcome=` of the report: one or more outcomes, comma-separated.
    static let outcomeListPattern: String = {
        let one = "(" + Outcome.allCases.map(\.rawValue).joined(separator: "|") + ")"
        return "^\(one)(,\(one))*$"
    }()
    static let ruleSchema = Schema.oneOf(["reference", "bank_serial", "account_and_amount", "manual"])
}
