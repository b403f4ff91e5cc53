/// Why an objective could not be built, loaded or trained; each message says what to do about it.
public enum ScorerError: Error, CustomStringConvertible, Equatable {
    /// A name the registry does not know.
    case unknownObjective(name: String, known: [String])
    /// A head file that cannot be read or decoded.
    case unreadableHead(path: String, reason: String)
    /// A head trained on another sentence encoder than the one loaded.
    case encoderMismatch(head: String, expected: String, found: String)
    /// A dataset file or folder that is not where training looked.
    case missingDataset(path: String, reason: String)
    /// Training data that cannot support a head (e.g. a class with no examples).
    case unusableData(reason: String)

    public var description: String {
        switch self {
        case let .unknownObjective(name, known):
            "unknown objective \"\(name)\": known objectives are \(known.joined(separator: ", "))"
        case let .unreadableHead(path, reason):
            "\(path): \(reason) (run `emorl scorers train` to rebuild the heads)"
        case let .encoderMismatch(head, expected, found):
            "\(head) was trained on sentence encoder \(expected), but the encoder loaded is \(found): "
                + "install the encoder the head names (scripts/setup) or retrain with `emorl scorers train`"
        case let .missingDataset(path, reason):
            "missing dataset \(path): \(reason)"
        case let .unusableData(reason):
            "cannot train: \(reason)"
        }
    }
}
