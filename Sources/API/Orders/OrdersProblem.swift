import Hummingbird
import PostgresStore
import VoucherServices

/// The one place where an orders error picks a status: a reused Idempotency-Key with another
/// body is a 422 (the request is well-formed but cannot be processed), the rest follow their kind.
extension OrdersError: ProblemConvertible {
    var problem: Problem {
        switch self {
        case .idempotencyKeyReused: Problem(.unprocessableContent, code: code, detail: detail)
        default: Problem(domain: domainError)
        }
    }
}

/// Payment proofs by content (SPEC §4, §8): PNG, JPEG, BMP, PDF.
enum ProofFormat {
    static func sniff(_ bytes: [UInt8]) -> String? {
        if let image = ImageFormat.sniff(bytes) { return image }
        if bytes.count >= 14, bytes.starts(with: [0x42, 0x4D]) { return "image/bmp" }
        if bytes.starts(with: Array("%PDF-".utf8)) { return "application/pdf" }
        return nil
    }
}
