import Hummingbird
import VoucherServices

/// Gives every request the configured bound of a JSON body (`http.bodyBytesMax`), which
/// Hummingbird's `request.decode` reads from the context's `maxUploadSize`.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let jsonBodyBytesMax: Int

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response
    {
        var context = context
        context.jsonBodyBytesMax = jsonBodyBytesMax
        return try await next(request, context)
    }
}
