import VoucherCore

/// A stored column holds a value that no Swift case names: the database and the code disagree
/// (a migration without its code, or a hand edit). Never guessed into a default: the request
/// fails loudly so the disagreement is found, not silently turned into `rejected` or skipped.
public struct StoredValueError: Error, Sendable, Equatable, CustomStringConvertible {
    public let column: String
    public let value: String
    public var description: String { "unknown value '\(value)' in \(column)" }
}

/// Reads the closed sets of VoucherCore (states, modes, kinds) from their text columns.
enum StoredValue {
    static func decode<T: RawRepresentable>(_ type: T.Type, _ raw: String, column: String) throws(StoredValueError) -> T
    where T.RawValue == String {
        guard let value = T(rawValue: raw) else { throw StoredValueError(column: column, value: raw) }
        return value
    }

    static func decodeOptional<T: RawRepresentable>(_ type: T.Type, _ raw: String?, column: String) throws(StoredValueError) -> T?
    where T.RawValue == String {
        guard let raw else { return nil }
        return try decode(type, raw, column: column)
    }
}
