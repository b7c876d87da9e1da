import Foundation
import HTTPTypes
import PostgresNIO
import TestSupport
import Testing
import VoucherCore

/// Bad listing input over HTTP: every refusal is a 4xx problem with its code, and nothing is
/// stored — no product, revision or file row on a create, the same content on an edit.
@Suite("Listing input")
struct ListingInputTests {
    /// Rows of the listing tables, to see that a refusal stored nothing.
    static func rows(_ world: OrdersWorld) async throws -> [Int] {
        var counts: [Int] = []
        for table in ["products", "product_revisions", "product_specs", "product_files", "approval_applications"] {
            for try await count in try await world.postgres.query("SELECT count(*) FROM \(unescaped: table)").decode(Int.self) {
                counts.append(count)
            }
        }
        return counts
    }

    /// Proves each broken rule of the listing body — 6 solution classes, 4 industries, missing or
    /// too few case studies, a negative price, low above high, an empty name, a file not uploaded
    /// (or uploaded as another kind) — answers 400 with its code, on create and on edit, and
    /// changes nothing.
    @Test func badListingsChangeNothing() async throws {
        try await OrdersWorld.run { world in
            let token = try await world.providerToken()
            let files = try await world.listings.uploadFiles(providerToken: token)
            let pdf = try await world.call(.post, "/v1/provider/product-files?kind=document", token: token, raw: Proofs.pdf)
            let documentOnly = try #require(pdf.string("fileId"))
            let good = ListingChain.body(specs: [ListingChain.spec(unitPriceFen: 100)], image: files.image, document: files.document)
            let draft = try await world.call(.post, "/v1/provider/products", token: token, json: good)
            let id = try #require(draft.string("id"))
            let draftBefore = try await world.call(.get, "/v1/products/\(id)", token: token)

            let cases: [(String, (inout [String: Any]) -> Void, String)] = [
                ("6 solution classes", { $0["solutionClasses"] = ["a", "b", "c", "d", "e", "f"] }, "solution_classes_too_many"),
                ("4 industries", { $0["industries"] = ["制造业", "零售", "物流", "教育"] }, "industries_too_many"),
                ("no case studies", { $0["caseStudies"] = nil }, "case_studies_missing"),
                ("two case studies", { $0["caseStudies"] = Array(($0["caseStudies"] as? [Any] ?? []).prefix(2)) }, "case_studies_missing"),
                ("negative price", { $0["priceLowFen"] = -1 }, "price_range_invalid"),
                ("low above high", { $0["priceLowFen"] = 6_000_000 }, "price_range_invalid"),
                ("empty name", { $0["name"] = " " }, "listing_invalid"),
                ("unknown image", { $0["imageFileId"] = String(repeating: "a", count: 64) }, "listing_file_unknown"),
                ("a document as the image", { $0["imageFileId"] = documentOnly }, "listing_file_unknown"),
                ("a spec priced free with a price", { $0["specs"] = [ListingChain.spec(unitPriceFen: 5, pricing: "free")] }, "product_invalid"),
            ]
            let before = try await Self.rows(world)
            for (name, breakIt, code) in cases {
                var body = good
                breakIt(&body)
                let created = try await world.call(.post, "/v1/provider/products", token: token, json: body)
                #expect(created.status == .badRequest && created.code == code, "create, \(name): \(created.json)")
                #expect(created.headers[.contentType] == "application/problem+json")
                let edited = try await world.call(.put, "/v1/provider/products/\(id)", token: token, json: body)
                #expect(edited.status == .badRequest && edited.code == code, "edit, \(name): \(edited.json)")
            }
            #expect(try await Self.rows(world) == before, "nothing stored")
            let draftAfter = try await world.call(.get, "/v1/products/\(id)", token: token)
            #expect(draftAfter.body == draftBefore.body, "the draft is unchanged")
        }
    }

    /// Proves uploads are checked by content and size: an image over 2 MB is 413 image_too_large,
    /// a PDF as an image and text as a document are 415, an empty body and a missing kind 400 —
    /// and none of them records a file.
    @Test func badUploadsStoreNothing() async throws {
        try await OrdersWorld.run { world in
            let token = try await world.providerToken()
            let before = try await Self.rows(world)
            let tooBig = Proofs.png + [UInt8](repeating: 0, count: ListingLimits.imageBytesMax)
            let cases: [(String, [UInt8], HTTPResponse.Status, String)] = [
                ("kind=image", tooBig, .contentTooLarge, "image_too_large"),
                ("kind=image", Proofs.pdf, .unsupportedMediaType, "image_unsupported_format"),
                ("kind=image", Proofs.gif, .unsupportedMediaType, "image_unsupported_format"),
                ("kind=document", Proofs.text, .unsupportedMediaType, "document_unsupported_format"),
                ("kind=document", [], .badRequest, "file_empty"),
                ("kind=video", Proofs.png, .badRequest, "file_kind_invalid"),
                ("", Proofs.png, .badRequest, "file_kind_invalid"),
            ]
            for (query, bytes, status, code) in cases {
                let answer = try await world.call(.post, "/v1/provider/product-files?\(query)", token: token, raw: bytes)
                #expect(answer.status == status && answer.code == code, "\(query), \(bytes.count) bytes: \(answer.json)")
            }
            #expect(try await Self.rows(world) == before, "no file recorded")
            let bmp = try await world.call(.post, "/v1/provider/product-files?kind=image", token: token, raw: Proofs.bmp)
            #expect(bmp.status == .created && bmp.string("mediaType") == "image/bmp", "\(bmp.json)")
            let enterprise = try await world.call(
                .post, "/v1/provider/product-files?kind=image", token: try await world.operatorToken(), raw: Proofs.png)
            #expect(enterprise.status == .forbidden && enterprise.code == "role_forbidden")
        }
    }
}
