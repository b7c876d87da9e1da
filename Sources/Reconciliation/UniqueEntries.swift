/// The entries of one statement file, each serial once (both readers' rule): a serial seen
/// before is not added, and its first place is returned for the caller to word the problem.
struct UniqueEntries: Sendable {
    private(set) var entries: [StatementEntry] = []
    private var firstPlaces: [String: Int] = [:]

    /// Adds `entry` found at `place` (a CSV line, a camt entry index), or returns where its serial
    /// was first seen and adds nothing.
    mutating func add(_ entry: StatementEntry, at place: Int) -> Int? {
        if let earlier = firstPlaces[entry.serial] { return earlier }
        firstPlaces[entry.serial] = place
        entries.append(entry)
        return nil
    }
}
