/// One typed metadata value of a GGUF file.
public enum GGUFValue: Sendable, Equatable {
    case uint(UInt64)
    case int(Int64)
    case float(Double)
    case bool(Bool)
    case string(String)
    case array([GGUFValue])

    /// The value as an integer, if it is one.
    public var intValue: Int? {
        switch self {
        case .uint(let v): Int(exactly: v)
        case .int(let v): Int(exactly: v)
        default: nil
        }
    }

    /// The value as a floating-point number, if it is numeric.
    public var doubleValue: Double? {
        switch self {
        case .float(let v): v
        case .uint(let v): Double(v)
        case .int(let v): Double(v)
        default: nil
        }
    }

    /// The value as a string, if it is one.
    public var stringValue: String? {
        if case .string(let s) = self { s } else { nil }
    }

    /// The value as an array, if it is one.
    public var arrayValue: [GGUFValue]? {
        if case .array(let a) = self { a } else { nil }
    }
}
