import PostgresStore
import VoucherCore

/// The report of a statement as CSV for finance staff: UTF-8 with a byte-order mark (Excel reads
/// a BOM-less UTF-8 CSV as the local code page and garbles Chinese), English snake_case headers,
/// amounts in yuan with two decimals. One row per line in file order, then one row per batch
/// marked paid without a receipt (`paid_no_receipt`, its amount what no receipt shows).
public enum StatementReportCSV {
    /// The UTF-8 byte-order mark.
    public static let byteOrderMark = "\u{FEFF}"

    public static let header = [
        "line_number", "serial", "date", "time", "direction", "amount", "currency", "counterparty_name", "counterparty_account", "memo",
        "outcome", "rule", "batch_id", "batch_reference", "provider_name", "candidate_batch_ids", "candidate_references",
        "batch_total", "batch_settled", "note",
        "conflict",
    ]

    /// The whole report (`selection` nil): the CSV is the full export, never a page.
    public static func render(_ report: StatementReport) -> String {
        precondition(report.selection == nil, "the CSV lists every line of the statement")
        var text = byteOrderMark + header.joined(separator: ",") + "\r\n"
        for line in report.lines {
            text += row([
                String(line.lineNumber), line.serial, line.bookedOn, line.bookedTime ?? "", line.direction, yuan(line.amountFen), line.currency,
                line.counterpartyName, line.counterpartyAccount, line.memo, line.outcome, line.rule ?? "", line.batchID ?? "",
                line.batchReference ?? "", line.providerName ?? "", line.candidateBatchIDs.joined(separator: " "),
                line.candidateBatchReferences.joined(separator: " "), "", "", line.note,
                line.conflict ?? "",
            ])
        }
        for batch in report.unpaidBatches {
            text += row([
                "", "", batch.transferDate, "", "debit", yuan(batch.uncoveredFen), "CNY", batch.payeeName, batch.payeeNumber, "",
                StatementReport.paidNoReceipt, "", batch.batchID, batch.reference, batch.providerName, "", "", yuan(batch.totalFen),
                yuan(batch.settledFen), note(batch), "",
            ])
        }
        return text
    }

    package static func yuan(_ fen: Int64) -> String { Money(fen: fen).yuanText }

    /// The note of a batch paid without (enough) receipts, in Chinese for the finance person.
    package static func note(_ batch: UnpaidBatchRecord) -> String {
        let shown =
            batch.exceptionFen > 0
            ? "；另有 \(Money(fen: batch.exceptionFen).formatted) 的回单写明该批次但未核销，见其各自的对账结果" : ""
        return "转账已于 \(batch.transferDate) 登记，但有 \(Money(fen: batch.uncoveredFen).formatted) 没有回单\(shown)。"
    }

    package static func row(_ fields: [String]) -> String {
        fields.map(CSVField.escape).joined(separator: ",") + "\r\n"
    }
}
