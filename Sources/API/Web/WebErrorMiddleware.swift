import Hummingbird
import Logging
import VoucherServices

/// Turns what a page's use case throws into an HTML error page of the same status (the JSON
/// routes answer problems; a browser gets a page it can read). Store outages are 503, domain
/// refusals their status, anything else a logged 500.
struct WebErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let controller: WebController

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            let problem: Problem
            do {
                // The JSON routes' one mapping of errors, so a page's status is the API's status.
                _ = try await ProblemMiddleware<AppRequestContext>().handle(request, context: context) { _, _ in throw error }
                problem = .internalError
            } catch let mapped as Problem {
                problem = mapped
            }
            return controller.errorPage(problem.status, viewer: nil)
        }
    }
}
