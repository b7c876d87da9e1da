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

/// Materials archives by content (SPEC §5, §8): ZIP (local-file, empty or spanned signature) or RAR (4 and 5).
enum ArchiveFormat {
    static let zipSignatures: [[UInt8]] = [[0x50, 0x4B, 0x03, 0x04], [0x50, 0x4B, 0x05, 0x06], [0x50, 0x4B, 0x07, 0x08]]
    static let rarSignature: [UInt8] = [0x52, 0x61, 0x72, 0x21, 0x1A, 0x07]

    static func sniff(_ bytes: [UInt8]) -> String? {
        if zipSignatures.contains(where: { bytes.starts(with: $0) }) { return "application/zip" }
        if bytes.starts(with: rarSignature) { return "application/vnd.rar" }
        return nil
    }
}

/// General-voucher materials by content (SPEC §5): JPEG, PNG, PDF, DOCX (a ZIP whose entries
/// include `[Content_Types].xml` and `word/`; entry names are stored uncompressed in the headers).
enum GeneralMaterialFormat {
    static let docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    static func sniff(_ bytes: [UInt8]) -> String? {
        if let image = ImageFormat.sniff(bytes) { return image }
        if bytes.starts(with: Array("%PDF-".utf8)) { return "application/pdf" }
        if bytes.starts(with: ArchiveFormat.zipSignatures[0]), contains(bytes, Array("[Content_Types].xml".utf8)),
            contains(bytes, Array("word/".utf8))
        {
            return docx
        }
        return nil
    }

    static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, bytes.count >= needle.count else { return false }
        var index = 0
        let last = bytes.count - needle.count
        while index <= last {
            if bytes[index] == first, bytes[index..<(index + needle.count)].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}
