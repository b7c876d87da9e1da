import Foundation
import Hummingbird
import Testing

@testable import API

/// The order page's proof upload reads a browser's `multipart/form-data` body: these pin what it
/// takes from one (fields, files by name, nothing chosen, a broken body) without a server.
@Suite struct WebMultipartFormTests {
    static let boundary = "----WebKitFormBoundaryq3ZrR1y2xK7Yz9aB"

    static func body(_ parts: [(disposition: String, type: String?, bytes: [UInt8])]) -> ByteBuffer {
        var buffer = ByteBuffer()
        for part in parts {
            buffer.writeString("--\(boundary)\r\nContent-Disposition: form-data; \(part.disposition)\r\n")
            if let type = part.type { buffer.writeString("Content-Type: \(type)\r\n") }
            buffer.writeString("\r\n")
            buffer.writeBytes(part.bytes)
            buffer.writeString("\r\n")
        }
        buffer.writeString("--\(boundary)--\r\n")
        return buffer
    }

    @Test func fieldsAndEveryFileOfANameAreRead() throws {
        // Proves the csrf field and two files sent under `proofs` come back as sent, bytes intact
        // (CR and LF inside a file included).
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x0D, 0x0A]
        let pdf = Array("%PDF-1.7\r\n--not-the-boundary\r\n".utf8)
        let form = try WebMultipartForm.parse(
            Self.body([
                ("name=\"csrf\"", nil, Array("token-123".utf8)),
                ("name=\"proofs\"; filename=\"a.png\"", "image/png", png),
                ("name=\"proofs\"; filename=\"b.pdf\"", "application/pdf", pdf),
            ]), boundary: Self.boundary)
        #expect(form.fields["csrf"] == "token-123")
        #expect(form.files["proofs"] == [png, pdf])
    }

    @Test func aFileInputWithNothingChosenIsNoFile() throws {
        // Proves the empty part a browser sends for a file input left empty is not a file.
        let form = try WebMultipartForm.parse(
            Self.body([("name=\"csrf\"", nil, Array("t".utf8)), ("name=\"proofs\"; filename=\"\"", "application/octet-stream", [])]),
            boundary: Self.boundary)
        #expect(form.files["proofs"] == nil)
    }

    @Test func theBoundaryComesFromTheContentTypeOfAFormOnly() {
        // Proves the boundary is read from `multipart/form-data` (quoted or not), and anything
        // else — another type, no boundary, an overlong one — is no multipart form.
        #expect(WebMultipartForm.boundary("multipart/form-data; boundary=abc") == "abc")
        #expect(WebMultipartForm.boundary("multipart/form-data; boundary=\"a b\"") == "a b")
        #expect(WebMultipartForm.boundary("application/x-www-form-urlencoded") == nil)
        #expect(WebMultipartForm.boundary("multipart/form-data") == nil)
        #expect(WebMultipartForm.boundary("multipart/form-data; boundary=" + String(repeating: "x", count: 71)) == nil)
    }

    @Test func aBodyThatIsNotMultipartGivesNoFieldAndNoFile() {
        // Proves a body without the boundary's framing yields no csrf field and no file (refused,
        // or read as an empty form), so the page answers the 403 page and stores nothing.
        var buffer = ByteBuffer()
        buffer.writeString("csrf=abc&proofs=x")
        let form = try? WebMultipartForm.parse(buffer, boundary: Self.boundary)
        #expect(form == nil || (form!.fields.isEmpty && form!.files.isEmpty))
    }
}
