import Hummingbird
import VoucherServices

struct MatchBody: Decodable {
    let batchId: String
    let note: String
}

struct NoteBody: Decodable {
    let note: String
}

// The reconciliation DTOs are built by VoucherServices (voucherctl prints them too); here they
// become HTTP answers.
extension StatementDTO: ResponseEncodable {}
extension ImportResultDTO: ResponseEncodable {}
extension StatementLineDTO: ResponseEncodable {}
extension StatementReportDTO: ResponseEncodable {}
extension RematchDTO: ResponseEncodable {}
