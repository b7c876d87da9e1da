import Foundation
import HTTPTypes
import TestSupport
import Testing

extension OpenAPIAnswersTests {
    /// Lists a product through the documented routes: uploads, a draft, an edit, 我的商品, the
    /// submission, the three stages' approvals, the product read back. Answers (product, spec).
    static func listedProduct(
        _ api: Caller, provider: String, deciders: [String], name: String, spec: [String: Any]
    ) async throws -> (String, String) {
        let image = try await api.call(.post, "/v1/provider/product-files?kind=image", token: provider, raw: (png, "image/png"), expect: .created)
        let imageID = try #require(image["fileId"] as? String)
        try await api.call(
            .post, "/v1/provider/product-files?kind=document", token: provider, raw: ([1, 2, 3], "application/pdf"),
            expect: .unsupportedMediaType)
        let document = try await api.call(
            .post, "/v1/provider/product-files?kind=document", token: provider, raw: (zip, "application/zip"), expect: .created)
        let documentID = try #require(document["fileId"] as? String)
        var body = ListingChain.body(name: name, specs: [spec], image: imageID, document: documentID)
        body["industries"] = ["制造业", "零售", "物流", "教育"]
        try await api.call(.post, "/v1/provider/products", token: provider, json: body, expect: .badRequest)
        body["industries"] = ["制造业"]
        let created = try await api.call(.post, "/v1/provider/products", token: provider, json: body, expect: .created)
        let productID = try #require(created["id"] as? String)
        let path = ["id": productID]
        body["tags"] = ["诊断", "改版"]
        try await api.call(.put, "/v1/provider/products/{id}", path, token: provider, json: body, expect: .ok)
        try await api.call(.get, "/v1/provider/products?state=draft", token: provider, expect: .ok)
        let submitted = try await api.call(.post, "/v1/provider/products/{id}/submit", path, token: provider, expect: .ok)
        try await api.call(.post, "/v1/provider/products/{id}/submit", path, token: provider, expect: .conflict)
        let approval = ["id": try #require(submitted["approvalId"] as? String)]
        for decider in deciders {
            try await api.call(.post, "/v1/approvals/{id}/approve", approval, token: decider, json: [:], expect: .ok)
        }
        let product = try await api.call(.get, "/v1/products/{id}", path, token: provider, expect: .ok)
        #expect(product["status"] as? String == "listed")
        try await api.call(.get, "/v1/provider/products", token: provider, expect: .ok)
        // An edit of the listed product, submitted and withdrawn: the listed version stays on sale.
        body["tags"] = ["诊断", "第二版"]
        try await api.call(.put, "/v1/provider/products/{id}", path, token: provider, json: body, expect: .ok)
        try await api.call(.post, "/v1/provider/products/{id}/submit", path, token: provider, expect: .ok)
        let withdrawn = try await api.call(.post, "/v1/provider/products/{id}/withdraw", path, token: provider, expect: .ok)
        #expect(withdrawn["status"] as? String == "listed" && withdrawn["editState"] as? String == "withdrawn")
        try await api.call(.post, "/v1/provider/products/{id}/withdraw", path, token: provider, expect: .conflict)
        let specID = try #require(((product["specs"] as? [[String: Any]])?.first)?["id"] as? String)
        return (productID, specID)
    }
}
