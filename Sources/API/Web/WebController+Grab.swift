import Foundation
import HTTPTypes
import Hummingbird
import PostgresStore
import VoucherCore
import VoucherServices

/// 抢券 and 立即申请 from the campaign page (guide §2.4.6.2), through the same use cases as
/// `POST /v1/campaigns/:c/lots/:l/grab` and `…/applications` (`CampaignsController.grab(identity:…)`,
/// `VoucherApplicationsController.apply(identity:…)`), behind the web session and its CSRF token.
///
/// - With JavaScript (`Static/grab.js`): a `fetch` with the token in `X-CSRF-Token` and an
///   `Idempotency-Key` made once per intended grab; the answer is JSON — the voucher, or the
///   problem's `code` with `retryAfterSeconds` for 429/503 — and the page never reloads.
/// - Without: the lot's form posts its hidden `csrf` and `key` (the server made the key when it
///   rendered the page, so a form sent twice grabs once) and the answer is 303 back to the campaign
///   page, which shows the outcome from `?result=`.
extension WebController {
    /// The header a page's script sends the session's CSRF token in.
    static let csrfHeader: HTTPField.Name = {
        guard let name = HTTPField.Name("X-CSRF-Token") else { preconditionFailure("a valid header name") }
        return name
    }()

    func grabAction(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await lotAction(request, context) { viewer, campaignID, lotID, key in
            let controller = CampaignsController(campaigns: services.campaigns, rush: services.rush, publisher: services.publisher)
            let answer = try await controller.grab(
                identity: viewer.identity, campaignID: campaignID, lotID: lotID, idempotencyKey: key, address: context.clientAddress)
            let voucher = answer.responseGenerator
            return (answer.status ?? .ok, ["result": voucher.result, "voucherId": voucher.voucherId, "validUntil": voucher.validUntil])
        }
    }

    func applyAction(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await lotAction(request, context) { viewer, campaignID, lotID, _ in
            let controller = VoucherApplicationsController(
                applications: services.applications, campaigns: services.campaigns, clock: services.clock)
            let record = try await controller.apply(identity: viewer.identity, campaignID: campaignID, lotID: lotID)
            return (.created, ["result": "applied", "applicationId": record.id])
        }
    }

    /// The frame both actions share: the ids, the session, the menu, the CSRF token (header or
    /// form), then `act`; its answer or its refusal as JSON (script) or a redirect (form).
    private func lotAction(
        _ request: Request, _ context: AppRequestContext,
        act: (WebViewer, String, String, String?) async throws -> (HTTPResponse.Status, [String: String])
    ) async throws -> Response {
        guard let campaignID = context.parameters.get("id"), OpaqueID.isWellFormed(campaignID, prefix: "cmp"),
            let lotID = context.parameters.get("lot"), OpaqueID.isWellFormed(lotID, prefix: "lot")
        else { return errorPage(.badRequest, viewer: nil, reason: "活动或服务券编号格式不正确。") }
        let scripted = request.headers[Self.csrfHeader] != nil
        let form = scripted ? nil : try await WebForm.body(request)
        guard let viewer = try await sessions.viewer(request) else {
            return scripted
                ? Self.json(.unauthorized, ["code": "session_required"]) : redirect("/login?next=" + WebForm.encode("/campaigns/" + campaignID))
        }
        let sent = scripted ? request.headers[Self.csrfHeader] : form?["csrf"]
        guard let sent, WebSessions.tokensEqual(viewer.session.csrfToken, sent) else {
            return scripted ? Self.json(.forbidden, ["code": "csrf_invalid"]) : errorPage(.forbidden, viewer: viewer, reason: Self.csrfRefusal)
        }
        guard WebMenu.vouchers.allows(viewer.identity) else {
            return scripted ? Self.json(.forbidden, ["code": "menu_forbidden"]) : errorPage(.forbidden, viewer: viewer, reason: Self.menuRefusal)
        }
        let key = scripted ? request.headers[.idempotencyKey] : form?["key"]
        let outcome: (status: HTTPResponse.Status, body: [String: String], retryAfter: String?)
        do {
            let (status, body) = try await act(viewer, campaignID, lotID, key)
            outcome = (status, body, nil)
        } catch {
            let problem = await WebErrorMiddleware.problem(for: error, request, context)
            let retryAfter = problem.headers[.retryAfter]
            var body = ["code": problem.code]
            if let retryAfter { body["retryAfterSeconds"] = retryAfter }
            outcome = (problem.status, body, retryAfter)
        }
        var body = outcome.body
        body["message"] = WebGrabMessages.text(body)
        guard scripted else {
            let result = body["code"] ?? body["result"] ?? ""
            let voucher = body["voucherId"].map { "&voucher=" + WebForm.encode($0) } ?? ""
            return redirect("/campaigns/\(campaignID)?lot=\(lotID)&result=" + WebForm.encode(result) + voucher)
        }
        var response = Self.json(outcome.status, body)
        if let retryAfter = outcome.retryAfter { response.headers[.retryAfter] = retryAfter }
        return response
    }

    static let menuRefusal = "您的账号没有“服务券”菜单的权限，请联系主账号在用户管理中开通。"

    static func json(_ status: HTTPResponse.Status, _ body: [String: String]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// What the campaign page says about a grab or an application, in Chinese, from the answer's
/// `result` or problem `code` (the script shows the same sentence it is sent).
enum WebGrabMessages {
    static func text(_ body: [String: String]) -> String {
        let retry = body["retryAfterSeconds"] ?? "1"
        switch body["result"] ?? body["code"] ?? "" {
        case "issued": return "抢券成功！服务券编号 \(body["voucherId"] ?? "")，可在“服务券查询”中查看。"
        case "already_issued": return "您已抢到本批次服务券（编号 \(body["voucherId"] ?? "")），不会重复发放。"
        case "applied": return "申请已提交，请等待平台审核；可在“我的待办 › 我的申请”中查看进度。"
        case "sold_out": return "已抢完：本批次服务券已全部发放。"
        case "limit_reached": return "已达到每企业限领数量，不能再抢本批次服务券。"
        case "not_open": return "活动尚未开始，请在开始时间后再抢。"
        case "ended": return "活动已结束。"
        case "not_certified": return "企业尚未通过认证：认证通过后才能抢券或申请。"
        case "lot_not_grabbable": return "本批次服务券需申请领取，请点击“立即申请”。"
        case "lot_not_applicable": return "本批次服务券为抢券领取，请点击“抢券”。"
        case "application_pending": return "您已提交过本批次的申请，正在审核中。"
        case "rate_limited": return "请求过于频繁，\(retry) 秒后自动重试。"
        case "unavailable", "busy": return "系统繁忙，\(retry) 秒后自动重试。"
        case "session_required": return "登录已失效，请重新登录后再抢。"
        case "csrf_invalid": return "页面已失效，请刷新页面后再试。"
        case "menu_forbidden": return "您的账号没有“服务券”菜单的权限。"
        case "lot_not_found": return "没有这个服务券批次。"
        case "": return ""
        case let code: return "操作未成功（\(code)），请稍后重试。"
        }
    }
}
