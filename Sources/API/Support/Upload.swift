import Hummingbird
import NIOCore
import VoucherCore
import VoucherServices

/// A file sent as a raw request body, read once with its bound and recognised by its content.
/// Licences, payment proofs, redemption archives and materials all arrive this way; each caller
/// gives its feature's errors for a body too large and content not recognised.
struct Upload {
    let bytes: [UInt8]
    /// The media type `sniff` recognised from the magic bytes.
    let mediaType: String

    /// Reads at most `bytesMax` bytes; refuses a larger body with `tooLarge`, an empty one with
    /// 400 `file_empty` and `emptyDetail`, and content `sniff` does not recognise with `unsupported`.
    static func read(
        _ request: Request, bytesMax: Int, sniff: ([UInt8]) -> String?,
        tooLarge: some DomainErrorConvertible, emptyDetail: String, unsupported: some DomainErrorConvertible
    ) async throws -> Upload {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: bytesMax)
        } catch is NIOTooManyBytesError {
            throw tooLarge
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw tooLarge
        }
        let bytes = Array(buffer.readableBytesView)
        guard !bytes.isEmpty else { throw DomainError(code: "file_empty", kind: .invalidInput, detail: emptyDetail) }
        guard let mediaType = sniff(bytes) else { throw unsupported }
        return Upload(bytes: bytes, mediaType: mediaType)
    }
}
