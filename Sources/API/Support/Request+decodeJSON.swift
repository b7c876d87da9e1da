import Foundation
import Hummingbird
import VoucherServices

/// Reads a JSON body of at most `AccountsLimits.jsonBodyBytesMax` bytes.
extension Request {
    mutating func decodeJSON<T: Decodable>(as type: T.Type, context: AppRequestContext) async throws -> T {
        let buffer = try await collectBody(upTo: AccountsLimits.jsonBodyBytesMax)
        return try context.requestDecoder.decode(T.self, from: Data(buffer.readableBytesView))
    }
}
