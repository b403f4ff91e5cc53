/// A dense row-major matrix of `Float`: the one storage type the engine passes around.
///
/// Shapes are written `[rows, cols]` in comments; a vector is a `[1, n]` matrix.
public struct Matrix: Sendable, Equatable {
    public let rows: Int
    public let cols: Int
    /// Row-major values, `rows * cols` of them.
    public var values: [Float]

    /// A matrix of zeros.
    public init(rows: Int, cols: Int) {
        precondition(rows >= 0 && cols >= 0, "negative matrix shape [\(rows), \(cols)]")
        self.rows = rows
        self.cols = cols
        self.values = [Float](repeating: 0, count: rows * cols)
    }

    /// A matrix over existing row-major values.
    public init(rows: Int, cols: Int, values: [Float]) {
        precondition(values.count == rows * cols, "matrix [\(rows), \(cols)] needs \(rows * cols) values, got \(values.count)")
        self.rows = rows
        self.cols = cols
        self.values = values
    }

    /// Element at (row, col).
    @inlinable
    public subscript(row: Int, col: Int) -> Float {
        get { values[row * cols + col] }
        set { values[row * cols + col] = newValue }
    }

    /// One row as an array.
    public func row(_ index: Int) -> [Float] {
        Array(values[(index * cols)..<((index + 1) * cols)])
    }

    /// Rows `range` as a new matrix.
    public func rows(_ range: Range<Int>) -> Matrix {
        Matrix(rows: range.count, cols: cols, values: Array(values[(range.lowerBound * cols)..<(range.upperBound * cols)]))
    }

    /// The rows at `indices`, in that order, as a new matrix.
    public func gathering(rows indices: [Int]) -> Matrix {
        var out = [Float]()
        out.reserveCapacity(indices.count * cols)
        for index in indices { out += values[(index * cols)..<((index + 1) * cols)] }
        return Matrix(rows: indices.count, cols: cols, values: out)
    }
}
