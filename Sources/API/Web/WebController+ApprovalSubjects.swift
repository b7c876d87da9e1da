import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// 待办's subjects (issue 17, Operator): what an application decides, shown on its detail page
/// from the same snapshot as `GET /v1/approvals/{id}` (`ApprovalSubjectsRepository.snapshot`) —
/// a registration with its licence image, an order with its payment proofs. The files are served
/// under the session by `approvalFile`, to exactly the people who see the application (the JSON
/// file route's rule). Each kind has its own view and partial, so other kinds add theirs beside.
extension WebController {
    /// One file of the subject: its page-relative download, and whether a browser shows it as an image.
    struct SubjectFileView {
        let href: String
        let anchor: String
        let label: String
        let isImage: Bool
    }

    /// A registration (企业认证) as submitted: `approval-registration.mustache`.
    struct RegistrationSubject {
        struct Fact {
            let label: String
            let value: String
        }

        let kind: String
        let name: String
        let uscc: String
        let certification: String
        let facts: [Fact]
        let submittedAt: String
        let licence: SubjectFileView?
    }

    /// An order as its payment or refund decides it: `approval-order.mustache`.
    struct OrderSubject {
        let id: String
        let productName: String
        let specName: String
        let orderType: String
        let quantity: Int
        let unitPrice: String
        let total: String
        let cap: String
        let deduction: String
        let payable: String
        let state: String
        let subscriber: String
        let paymentAttempt: Int
        let createdAt: String
        let proofs: [SubjectFileView]
        let hasProofs: Bool
    }

    /// The subject sections of an application's page (nil: not this kind).
    struct ApprovalSubjects {
        let registration: RegistrationSubject?
        let order: OrderSubject?
    }

    /// The sections for `record`'s snapshot; a kind without a section here shows none.
    func approvalSubjects(_ record: ApprovalRecord) async throws -> ApprovalSubjects {
        let snapshot = try await services.platform.subjects.snapshot(of: record)
        switch snapshot {
        case .organisation(let value): return ApprovalSubjects(registration: registrationSubject(value, approvalID: record.id), order: nil)
        case .order(let value): return ApprovalSubjects(registration: nil, order: orderSubject(value, approvalID: record.id))
        default: return ApprovalSubjects(registration: nil, order: nil)
        }
    }

    func registrationSubject(_ snapshot: OrganisationSnapshot, approvalID: String) -> RegistrationSubject {
        let details = snapshot.profile.flatMap { try? StoredJSON.decode(OrganisationDetails.self, from: $0.detailsJSON) }
        var facts: [RegistrationSubject.Fact] = []
        func add(_ label: String, _ value: String?) {
            if let value, !value.isEmpty { facts.append(.init(label: label, value: value)) }
        }
        // A provider's 企业信息 as its form has it (服务范围 by label, revenues in 亿元 …).
        if snapshot.kind == "provider", let details, let saved = try? savedFields(details) {
            for field in WebDetailField.provider where !["name", "unifiedSocialCreditCode"].contains(field.key) {
                if let value = field.saved(in: saved), value != .null { add(field.label, field.display(value)) }
            }
            return registrationSubjectView(snapshot, approvalID: approvalID, facts: facts)
        }
        add("法定代表人", details?.legalRepresentative)
        add("法人手机号", details?.legalRepresentativePhone)
        add("联系人", details?.contactName ?? snapshot.profile?.contactName)
        add("联系人职务", details?.contactTitle)
        add("联系电话", details?.contactPhone ?? snapshot.profile?.contactPhone)
        add("电子邮箱", details?.email)
        add("所属行业", details?.industry)
        add("所属区域", details?.region)
        add("注册成立时间", details?.foundedOn)
        add("员工人数", details?.employeeCount.map(String.init))
        add("注册地址", details?.registeredAddress)
        add("企业地址", details?.businessAddress)
        add("核心产品", details?.coreProduct ?? details?.coreProducts)
        add("服务范围", details?.serviceScopes?.joined(separator: "、"))
        add("企业简介", details?.introduction)
        return registrationSubjectView(snapshot, approvalID: approvalID, facts: facts)
    }

    private func registrationSubjectView(
        _ snapshot: OrganisationSnapshot, approvalID: String, facts: [RegistrationSubject.Fact]
    ) -> RegistrationSubject {
        RegistrationSubject(
            kind: snapshot.kind == "provider" ? "服务商" : "企业", name: snapshot.name, uscc: snapshot.uscc ?? "—",
            certification: OrganisationRecord.Certification(rawValue: snapshot.certification).map(WebLabels.certification) ?? snapshot.certification,
            facts: facts,
            submittedAt: snapshot.profile?.submittedAt.map(WebLabels.time) ?? "—",
            licence: snapshot.licence.map { subjectFile($0, approvalID: approvalID, index: 1, label: "营业执照") })
    }

    func orderSubject(_ snapshot: OrderSnapshot, approvalID: String) -> OrderSubject {
        let order = snapshot.order
        let proofs = snapshot.proofs.enumerated().map { index, file in
            subjectFile(file, approvalID: approvalID, index: index + 1, label: "支付凭证 \(index + 1)（第 \(file.attempt ?? 1) 次提交）")
        }
        return OrderSubject(
            id: order.id, productName: order.productName, specName: order.specName, orderType: WebLabels.orderType(order.orderType),
            quantity: order.quantity, unitPrice: WebLabels.money(order.unitPriceFen), total: WebLabels.money(order.totalFen),
            cap: WebLabels.money(order.capFen), deduction: WebLabels.money(order.deductionFen), payable: WebLabels.money(order.payableFen),
            state: WebLabels.orderState(order.state), subscriber: order.enterpriseName, paymentAttempt: order.paymentAttempt,
            createdAt: WebLabels.time(order.createdAt), proofs: proofs, hasProofs: !proofs.isEmpty)
    }

    func subjectFile(_ file: SubjectFile, approvalID: String, index: Int, label: String) -> SubjectFileView {
        SubjectFileView(
            href: "/workbench/inbox/\(approvalID)/files/\(file.sha256)", anchor: "\(file.purpose)-\(index)", label: label,
            isImage: file.mediaType.hasPrefix("image/"))
    }

    /// `GET /workbench/inbox/{id}/files/{fileId}`: one file of the application's subject, shown
    /// inline (the image viewer), for the people who see the application — else the 404 page, as
    /// the JSON route answers `file_not_found`.
    func approvalFile(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let id = Self.approvalID(context), let fileID = context.parameters.get("fileId"), StoredFile.isSHA256(fileID) else {
            return errorPage(.badRequest, viewer: nil, reason: "文件编号格式不正确。")
        }
        return try await workbenchPage(request, .inbox) { viewer in
            let approvals = ApprovalsController(env: services.accounts, platform: services.platform)
            let record: ApprovalRecord
            do {
                record = try await approvals.visible(id: id, viewer.identity).0
            } catch ApprovalsStoreError.notFound {
                return errorPage(.notFound, viewer: viewer, reason: "没有这个申请。")
            }
            let files = try await services.platform.subjects.snapshot(of: record).files
            guard let file = files.first(where: { $0.sha256 == fileID }), let bytes = try await services.platform.files.read(sha256: fileID)
            else { return errorPage(.notFound, viewer: viewer, reason: "这个申请没有该文件。") }
            return Response(
                status: .ok,
                headers: [
                    .contentType: file.mediaType, .contentDisposition: "inline", .cacheControl: "private, no-store",
                    .contentSecurityPolicy: WebPages.contentSecurityPolicy,
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}
