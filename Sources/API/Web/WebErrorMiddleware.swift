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
            return controller.errorPage(await Self.problem(for: error, request, context).status, viewer: nil)
        }
    }

    /// The problem the JSON routes would answer for `error` (their one mapping, `ProblemMiddleware`),
    /// so a page's status and a form's field error follow the API's `code`.
    static func problem(for error: any Error, _ request: Request, _ context: AppRequestContext) async -> Problem {
        do {
            _ = try await ProblemMiddleware<AppRequestContext>().handle(request, context: context) { _, _ in throw error }
        } catch let mapped as Problem {
            return mapped
        } catch {}
        return .internalError
    }

    /// The problem of a refused request, for a page to show next to its field; a failure that maps
    /// to 5xx is not the user's to fix, so the original error is thrown on to the error page.
    static func refusal(for error: any Error, _ request: Request, _ context: AppRequestContext) async throws -> Problem {
        let problem = await problem(for: error, request, context)
        guard problem.status.code < 500 else { throw error }
        return problem
    }
}
