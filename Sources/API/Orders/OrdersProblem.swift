import Hummingbird
import PostgresStore
import VoucherServices

/// Payment proofs by content (SPEC §4, §8): PNG, JPEG, BMP, PDF.
enum ProofFormat {
    static func sniff(_ bytes: [UInt8]) -> String? {
        if let image = ImageFormat.sniff(bytes) { return image }
        if bytes.count >= 14, bytes.starts(with: [0x42, 0x4D]) { return "image/bmp" }
        if bytes.starts(with: Array("%PDF-".utf8)) { return "application/pdf" }
        return nil
    }
}
