/// Byte searches for the checks every request passes (the URI's `%00`, the grab route): a plain
/// scan of the UTF-8 bytes. Foundation's `contains` bridged each request's text to an NSString,
/// and `utf8.firstRange(of:)` is the generic string-processing searcher (both showed in profiles).
enum ByteScan {
    /// The UTF-8 offset of the first occurrence of `needle` (ASCII, a few bytes) in `text`; nil
    /// when there is none (0 for an empty needle).
    static func firstOffset(of needle: StaticString, in text: String) -> Int? {
        let needle = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        guard let first = needle.first else { return 0 }
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count >= needle.count else { return nil }
            for start in 0...(bytes.count - needle.count) where bytes[start] == first {
                if bytes[start..<(start + needle.count)].elementsEqual(needle) { return start }
            }
            return nil
        }
    }
}
