import VoucherServices

/// Listing uploads by content (the guide's §1.4.4.1): display and banner images are JPEG, PNG or
/// BMP; a case study's intro document is pdf, png, jpg, jpeg, bmp, doc, docx, ppt, pptx, zip or
/// mp4. Only the head of the body is looked at (it is streamed to disk), so an Office file is
/// told apart from a plain ZIP by the entry names in its first local headers, when they are there.
enum ListingFormat {
    static let oleSignature: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    static func image(_ head: [UInt8]) -> String? {
        if let image = ImageFormat.sniff(head) { return image }
        if head.count >= 14, head.starts(with: [0x42, 0x4D]) { return "image/bmp" }
        return nil
    }

    static func document(_ head: [UInt8]) -> String? {
        if let image = image(head) { return image }
        if head.starts(with: Array("%PDF-".utf8)) { return "application/pdf" }
        // doc and ppt share the OLE compound-file container.
        if head.starts(with: oleSignature) { return "application/x-ole-storage" }
        if head.count >= 12, head[4..<8].elementsEqual(Array("ftyp".utf8)) { return "video/mp4" }
        if ArchiveFormat.zipSignatures.contains(where: { head.starts(with: $0) }) {
            if GeneralMaterialFormat.contains(head, Array("word/".utf8)) { return GeneralMaterialFormat.docx }
            if GeneralMaterialFormat.contains(head, Array("ppt/".utf8)) {
                return "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            return "application/zip"
        }
        return nil
    }
}
