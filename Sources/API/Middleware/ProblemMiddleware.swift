import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import PostgresNIO
import RedisNIO
import VoucherCore
import VoucherServices

/// Turns every error that escapes a route into a problem response, on purpose: Hummingbird's
/// default would answer a bare 500 for domain errors and a non-problem body for its own.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            throw problem
        } catch let error as any ProblemConvertible {
            throw error.problem
        } catch let error as any DomainErrorConvertible {
            throw Problem(domain: error.domainError)
        } catch let error as HTTPError {
            throw Problem(
                error.status, code: Self.code(for: error.status), detail: error.body ?? Self.detail(for: error.status), headers: error.headers)
        } catch is NIOTooManyBytesError {
            // A JSON body past `http.bodyBytesMax` (or a route's own bound) while being collected.
            throw Problem(.contentTooLarge, code: Self.code(for: .contentTooLarge), detail: Self.detail(for: .contentTooLarge))
        } catch let error as HTTPParserError {
            // Malformed framing met while a route read the body (`Transfer-Encoding: xchunked`, a
            // chunk size that does not parse): the client's fault, and the connection cannot go on.
            throw Problem.requestMalformed(error)
        } catch let error as RedisClientError where StoreOutage.isOutage(error) {
            context.logger.warning("request.store_unavailable", metadata: ["store": "redis", "error": "\(error)"])
            throw Problem.storeUnavailable
        } catch let error as PSQLError where StoreOutage.isOutage(error) {
            context.logger.warning("request.store_unavailable", metadata: ["store": "postgres", "error": "\(String(reflecting: error))"])
            throw Problem.storeUnavailable
        } catch let error as DecodingError {
            throw Problem.invalidBody("The request body is not valid: \(Self.describe(error)). Send a JSON object with the documented fields.")
        } catch {
            context.logger.error("request.failed", metadata: ["error": "\(String(reflecting: error))"])
            throw Problem.internalError
        }
    }

    static func code(for status: HTTPResponse.Status) -> String {
        switch status.code {
        // Hummingbird answers 400 itself when a body does not decode into the route's type.
        case 400: return "body_invalid"
        case 401: return "unauthorized"
        case 403: return "forbidden"
        case 404: return "not_found"
        case 405: return "method_not_allowed"
        case 413: return "payload_too_large"
        case 415: return "media_type_unsupported"
        case 429: return "rate_limited"
        case 503: return "unavailable"
        default: return status.code >= 500 ? "internal_error" : "bad_request"
        }
    }

    static func detail(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 404: return "No such resource. Check the path and the id in it."
        case 405: return "This path does not take that method. See /openapi.json for what it takes."
        case 413: return "The request body is too large. Send a smaller body."
        default: return "The request could not be handled (\(status.reasonPhrase))."
        }
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): return "the field \(key.stringValue) is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return "the field \(path.isEmpty ? "(root)" : path) has the wrong type"
        case .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? "it is not JSON" : "the field \(path) is malformed"
        @unknown default: return "it cannot be decoded"
        }
    }
}

/// Errors of lower modules that know which problem they are. Conformances live in this module,
/// so the domain stays free of HTTP.
protocol ProblemConvertible: Error {
    var problem: Problem { get }
}

extension Problem {
    /// The one mapping of domain failures to statuses; the core never chooses a status itself.
    init(domain error: DomainError) {
        let status: HTTPResponse.Status
        switch error.kind {
        case .invalidInput: status = .badRequest
        case .unauthorized: status = .unauthorized
        case .forbidden: status = .forbidden
        case .notFound: status = .notFound
        case .conflict: status = .conflict
        case .unprocessable: status = .unprocessableContent
        case .tooLarge: status = .contentTooLarge
        case .unsupportedFormat: status = .unsupportedMediaType
        case .rateLimited: status = .tooManyRequests
        case .unavailable: status = .serviceUnavailable
        }
        self.init(status, code: error.code, detail: error.detail)
    }
}
