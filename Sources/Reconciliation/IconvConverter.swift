#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// glibc's `iconv`, wrapped so that its descriptor is always closed (`deinit`) and its pointer
/// arithmetic stays in one place. Not `Sendable`: a descriptor carries conversion state, so each
/// conversion makes its own converter and drops it when done.
final class IconvConverter {
    /// Output room to start with, per input byte: GB18030 → UTF-8 grows a 2-byte character to 3
    /// bytes, UTF-8 → GB18030 never grows, so one doubling is rarely needed and never repeated.
    private static let outputBytesPerInputByte = 2
    /// Output room for tiny inputs, so that the buffer is never empty.
    private static let outputBytesMin = 16

    private let descriptor: iconv_t

    /// A converter between two encodings named as glibc names them (`GB18030`, `UTF-8`); nil when
    /// glibc has no gconv module for the pair.
    init?(from source: String, to target: String) {
        guard let opened = iconv_open(target, source), opened != iconv_t(bitPattern: -1) else { return nil }
        descriptor = opened
    }

    deinit {
        iconv_close(descriptor)
    }

    /// The whole input converted, or nil when it holds a byte sequence invalid in the source
    /// encoding (`EILSEQ`) or ends in the middle of a character (`EINVAL`). Nothing is skipped or
    /// replaced: a statement that does not decode exactly is not read.
    func convert(_ input: [UInt8]) -> [UInt8]? {
        try? converted(input).get()
    }

    /// Where a conversion stopped: the offset of the first input byte that is not (the start of)
    /// a character of the source encoding.
    struct Failure: Error, Hashable {
        let byteOffset: Int
    }

    /// The whole input converted, or where it stopped (see `convert`).
    func converted(_ input: [UInt8]) -> Result<[UInt8], Failure> {
        guard !input.isEmpty else { return .success([]) }
        var failedAt = 0
        _ = iconv(descriptor, nil, nil, nil, nil)  // back to the initial state
        var source = input
        var output = [UInt8](repeating: 0, count: max(Self.outputBytesMin, input.count * Self.outputBytesPerInputByte))
        var produced = 0
        let succeeded = source.withUnsafeMutableBytes { sourceBytes -> Bool in
            guard let sourceBase = sourceBytes.baseAddress else { return false }
            var sourcePointer: UnsafeMutablePointer<CChar>? = sourceBase.assumingMemoryBound(to: CChar.self)
            var sourceLeft = sourceBytes.count
            while true {
                let (result, error) = output.withUnsafeMutableBytes { outputBytes -> (Int, Int32) in
                    guard let outputBase = outputBytes.baseAddress else { return (-1, EINVAL) }
                    var outputPointer: UnsafeMutablePointer<CChar>? = (outputBase + produced).assumingMemoryBound(to: CChar.self)
                    var outputLeft = outputBytes.count - produced
                    let result = iconv(descriptor, &sourcePointer, &sourceLeft, &outputPointer, &outputLeft)
                    let error = errno
                    produced = outputBytes.count - outputLeft
                    return (result, error)
                }
                if result != -1 { return true }
                guard error == E2BIG else {
                    failedAt = sourceBytes.count - sourceLeft
                    return false
                }
                output.append(contentsOf: repeatElement(0, count: output.count))
            }
        }
        guard succeeded else { return .failure(Failure(byteOffset: failedAt)) }
        output.removeLast(output.count - produced)
        return .success(output)
    }
}
