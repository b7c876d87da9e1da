import HTTPTypes
import Hummingbird

/// Headers every answer carries, problems included (this runs outermost, so it turns a thrown
/// problem into its response to add them): no MIME sniffing, no framing (`X-Frame-Options` for old
/// browsers, CSP `frame-ancestors` for new ones), no referrer, and `Cache-Control: no-store`
/// unless the route chose its own caching (only the public `/openapi.json` does). No-store on
/// everything is the simple rule: tokens, payee accounts, downloads (archives, proofs, reports,
/// licences) and every other `/v1` answer are private to the caller.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        // A web page sets its own, fuller CSP (`WebPages.contentSecurityPolicy`, which keeps frame-ancestors 'none').
        for field in SecurityHeaders.fields where field.name != .contentSecurityPolicy || response.headers[.contentSecurityPolicy] == nil {
            response.headers[field.name] = field.value
        }
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}

/// The fields of `SecurityHeadersMiddleware`, built once rather than per answer (the generic
/// middleware cannot hold a stored static).
enum SecurityHeaders {
    static let fields: HTTPFields = [
        .xContentTypeOptions: "nosniff",
        .xFrameOptions: "DENY",
        .contentSecurityPolicy: "frame-ancestors 'none'",
        .referrerPolicy: "no-referrer",
    ]
}

extension HTTPField.Name {
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
