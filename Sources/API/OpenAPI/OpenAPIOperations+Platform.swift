import VoucherCore
import VoucherServices

private typealias Op = OpenAPIOperation

/// What a subject's file may be: licences, payment proofs, batch archives and general materials.
private let subjectFileTypes = [
    "image/png", "image/jpeg", "image/bmp", "application/pdf", "application/zip", "application/vnd.rar",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
]

extension OpenAPIDocument {
    /// `ApprovalsController`'s subject files and `PlatformController`: the operators' lists, the
    /// provider's order detail and 企业信息查询.
    static let platformOperations: [OpenAPIOperation] = [
        Op(
            .get, "/v1/approvals/{id}/files/{fileId}", id: "approvalFile",
            summary: "One file of the application's subject (fileId: its SHA-256, as the detail's subject lists it), for who sees the application.",
            access: .signedIn([]),
            answer: .media(Dictionary(uniqueKeysWithValues: subjectFileTypes.map { ($0, ["type": "string", "contentMediaType": .string($0)]) })),
            errors: ["not_found", "file_not_found"]),
        Op(
            .get, "/v1/platform/organisations", id: "platformOrganisations",
            summary: "Every enterprise and provider with its certification state, newest first.", access: .signedIn([.operator]),
            parameters: [
                .query("kind", Schema.oneOf(PlatformController.kinds), "Only organisations of this kind."),
                .query("certification", Schema.oneOf(PlatformController.certifications), "Only organisations in this certification state."),
                .query("name", ["type": "string", "maxLength": 100], "Part of the organisation's name."),
                .page, .pageSize,
            ],
            answer: .json(Schema.page(of: "PlatformOrganisation")), errors: ["page_invalid", "filter_invalid"]),
        Op(
            .get, "/v1/platform/orders", id: "platformOrders", summary: "Every organisation's orders, newest first.",
            access: .signedIn([.operator]),
            parameters: [.query("state", Schema.oneOf(OrderState.allCases.map(\.rawValue)), "Only orders in this state."), .page, .pageSize],
            answer: .json(Schema.page(of: "Order")), errors: ["page_invalid", "filter_invalid"]),
        Op(
            .get, "/v1/platform/products", id: "platformProducts", summary: "Every provider's products, newest first.",
            access: .signedIn([.operator]),
            parameters: [
                .query("status", Schema.oneOf(ListingState.allCases.map(\.rawValue)), "Only products in this listing state."), .page, .pageSize,
            ],
            answer: .json(Schema.page(of: "PlatformProduct")), errors: ["page_invalid", "filter_invalid"]),
        Op(
            .get, "/v1/provider/orders/{id}", id: "providerOrder", summary: "One order of the provider's products.",
            access: .signedIn([.provider]), answer: .json(Schema.ref("Order")), errors: ["order_not_found"]),
        Op(
            .get, "/v1/provider/enterprises/{id}", id: "providerEnterprise",
            summary: "企业信息查询: the name and contact of an enterprise that ordered from the provider (id: an order's subscriberOrgId).",
            access: .signedIn([.provider]), answer: .json(Schema.ref("EnterpriseContact")), errors: ["enterprise_not_found"]),
    ]
}
