import Foundation
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// 收款账号管理 (guide §1.5, 支付与结算 > 收款账号管理; SPEC §5): the provider's payee accounts with
/// 新增收款账号, 修改 (the replaced version kept in the history, batches filed before keep their
/// snapshot) and 停用 — each through the JSON routes' repository (`PayeeAccountsRepository`) and
/// the same certification gate, so the page accepts exactly what `POST`/`PUT
/// /v1/provider/payee-accounts` would. Menu `payeeAccounts`, providers only.
extension WebController {
    struct PayeeRow {
        let id: String
        let bank: String
        let accountName: String
        let accountNumber: String
        let status: String
        let active: Bool
        let version: Int
        let createdAt: String
        let href: String
    }

    /// What a payee form shows: the typed values and the errors next to their fields.
    struct PayeeFormState {
        var accountName = ""
        var accountNumber = ""
        var nameError = ""
        var numberError = ""
        var formError = ""
    }

    struct PayeesView {
        let chrome: WebChrome
        let rows: [PayeeRow]
        let empty: Bool
        let paging: WebPaging
        let form: PayeeFormState
        let notice: String
        let digitsMin: Int
        let digitsMax: Int
    }

    struct PayeeVersionRow {
        let version: Int
        let accountName: String
        let accountNumber: String
        let validFrom: String
        let replacedAt: String
        let replacedBy: String
    }

    struct PayeeView {
        let chrome: WebChrome
        let account: PayeeRow
        let history: [PayeeVersionRow]
        let hasHistory: Bool
        let form: PayeeFormState
        let notice: String
        let digitsMin: Int
        let digitsMax: Int
    }

    static let payeeNotices = ["added": "收款账号已新增。", "edited": "收款账号已修改，原账号信息保留在修改记录中。", "disabled": "收款账号已停用。"]

    func payeesPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchPage(request, .payeeAccounts) { viewer in
            let query = WebForm.query(request)
            return try await payeesList(
                viewer: viewer, page: WebPaging.requested(query), notice: query["done"].flatMap { Self.payeeNotices[$0] } ?? "")
        }
    }

    private func payeesList(
        viewer: WebViewer, page: Int, form: PayeeFormState = PayeeFormState(), notice: String = "", status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let result = try await services.redemption.payees.list(orgID: viewer.identity.orgID, page: page, pageSize: WebPaging.pageSize)
        let rows = result.items.map(Self.payeeRow)
        return pages.page(
            "payees",
            PayeesView(
                chrome: chrome("收款账号管理", viewer: viewer, crumbs: [("工作台", "/workbench"), ("收款账号管理", "")], menu: .payeeAccounts),
                rows: rows, empty: rows.isEmpty, paging: WebPaging(page: page, total: result.total, path: "/workbench/payee-accounts", filters: []),
                form: form, notice: notice, digitsMin: RedemptionLimits.accountDigitsMin, digitsMax: RedemptionLimits.accountDigitsMax),
            status: status)
    }

    static func payeeRow(_ account: PayeeAccountRecord) -> PayeeRow {
        PayeeRow(
            id: account.id, bank: WebLabels.bank(account.bank), accountName: account.accountName, accountNumber: account.accountNumber,
            status: account.active ? "启用" : "已停用", active: account.active, version: account.version,
            createdAt: WebLabels.time(account.createdAt), href: "/workbench/payee-accounts/" + account.id)
    }

    /// 新增收款账号: `POST /v1/provider/payee-accounts`'s rules (certified provider, ABC only, the
    /// registered name, 15–19 digits, no duplicate); a refusal is shown next to its field.
    func addPayeeForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await workbenchForm(request, .payeeAccounts) { viewer, form in
            var state = PayeeFormState(accountName: form.text("accountName") ?? "", accountNumber: form.text("accountNumber") ?? "")
            do {
                try await services.redemption.certification.require(viewer.identity, for: .payeeAccounts)
                _ = try await services.redemption.payees.add(
                    orgID: viewer.identity.orgID, bank: PayeeAccountsRepository.bankABC, accountName: state.accountName,
                    accountNumber: state.accountNumber, now: services.clock.now())
                return redirect("/workbench/payee-accounts?done=added")
            } catch {
                let status = try await payeeRefusal(error, request, context, into: &state)
                return try await payeesList(viewer: viewer, page: 1, form: state, status: status)
            }
        }
    }

    func payeePage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if let page = malformedPathID(context, "id", prefix: PayeeAccountsRepository.idPrefix, reason: "收款账号编号格式不正确。") { return page }
        return try await workbenchPage(request, .payeeAccounts) { viewer in
            let notice = WebForm.query(request)["done"].flatMap { Self.payeeNotices[$0] } ?? ""
            return try await payeeDetail(id: context.parameters.get("id") ?? "", viewer: viewer, notice: notice)
        }
    }

    private func payeeDetail(
        id: String, viewer: WebViewer, form: PayeeFormState? = nil, notice: String = "", status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard let (account, history) = try await services.redemption.payees.account(id: id, orgID: viewer.identity.orgID) else {
            return errorPage(.notFound, viewer: viewer, reason: "没有这个收款账号。")
        }
        let versions = history.map { version in
            PayeeVersionRow(
                version: version.version, accountName: version.accountName, accountNumber: version.accountNumber,
                validFrom: WebLabels.time(version.validFrom), replacedAt: WebLabels.time(version.replacedAt), replacedBy: version.replacedBy)
        }
        return pages.page(
            "payee",
            PayeeView(
                chrome: chrome(
                    "修改收款账号", viewer: viewer,
                    crumbs: [("工作台", "/workbench"), ("收款账号管理", "/workbench/payee-accounts"), ("修改收款账号", "")], menu: .payeeAccounts),
                account: Self.payeeRow(account), history: versions, hasHistory: !versions.isEmpty,
                form: form ?? PayeeFormState(accountName: account.accountName, accountNumber: account.accountNumber), notice: notice,
                digitsMin: RedemptionLimits.accountDigitsMin, digitsMax: RedemptionLimits.accountDigitsMax),
            status: status)
    }

    /// 修改: `PUT /v1/provider/payee-accounts/{id}`'s rules; the version replaced stays in the history.
    func editPayeeForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if let page = malformedPathID(context, "id", prefix: PayeeAccountsRepository.idPrefix, reason: "收款账号编号格式不正确。") { return page }
        return try await workbenchForm(request, .payeeAccounts) { viewer, form in
            let id = context.parameters.get("id") ?? ""
            var state = PayeeFormState(accountName: form.text("accountName") ?? "", accountNumber: form.text("accountNumber") ?? "")
            do {
                try await services.redemption.certification.require(viewer.identity, for: .payeeAccounts)
                _ = try await services.redemption.payees.edit(
                    id: id, orgID: viewer.identity.orgID, bank: PayeeAccountsRepository.bankABC, accountName: state.accountName,
                    accountNumber: state.accountNumber, by: viewer.identity.userID, now: services.clock.now())
                return redirect("/workbench/payee-accounts/\(id)?done=edited")
            } catch {
                let status = try await payeeRefusal(error, request, context, into: &state)
                if status == .notFound { return errorPage(.notFound, viewer: viewer, reason: "没有这个收款账号。") }
                return try await payeeDetail(id: id, viewer: viewer, form: state, status: status)
            }
        }
    }

    /// 停用: `POST /v1/provider/payee-accounts/{id}/disable`; batches filed before keep their snapshot.
    func disablePayeeForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if let page = malformedPathID(context, "id", prefix: PayeeAccountsRepository.idPrefix, reason: "收款账号编号格式不正确。") { return page }
        return try await workbenchForm(request, .payeeAccounts) { viewer, _ in
            do {
                _ = try await services.redemption.payees.disable(
                    id: context.parameters.get("id") ?? "", orgID: viewer.identity.orgID, now: services.clock.now())
                return redirect("/workbench/payee-accounts?done=disabled")
            } catch {
                let problem = try await WebErrorMiddleware.refusal(for: error, request, context)
                if problem.status == .notFound { return errorPage(.notFound, viewer: viewer, reason: "没有这个收款账号。") }
                var state = PayeeFormState()
                state.formError = WebRedemptionErrors.message(problem).text
                return try await payeesList(viewer: viewer, page: 1, form: state, status: problem.status)
            }
        }
    }

    /// Puts a refused payee account's sentence next to its field; answers the status (5xx: thrown on).
    private func payeeRefusal(
        _ error: any Error, _ request: Request, _ context: AppRequestContext, into state: inout PayeeFormState
    ) async throws -> HTTPResponse.Status {
        let problem = try await WebErrorMiddleware.refusal(for: error, request, context)
        let message = WebRedemptionErrors.message(problem)
        switch message.field {
        case "accountName": state.nameError = message.text
        case "accountNumber": state.numberError = message.text
        default: state.formError = message.text
        }
        return problem.status
    }
}

extension WebLabels {
    /// 开户银行: only the Agricultural Bank of China is accepted (SPEC §5).
    static func bank(_ code: String) -> String { code == PayeeAccountsRepository.bankABC ? "中国农业银行" : code }
}
