import Tensors

/// A zero-initialised, fixed-size run of floats owned by one training pass (activations and their gradients).
///
/// A class so kernels can take its pointer directly, llm.c style, without nesting `withUnsafe…` closures.
final class TapeBuffer {
    let count: Int
    let pointer: UnsafeMutablePointer<Float>

    init(count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    /// A buffer holding a copy of `values`.
    convenience init(_ values: [Float]) {
        self.init(count: values.count)
        for (i, value) in values.enumerated() { pointer[i] = value }
    }

    deinit { pointer.deallocate() }

    /// The values as an array.
    var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

    /// Sets every value to zero.
    func zero() { pointer.update(repeating: 0, count: count) }
}

extension Matrix {
    /// Calls `body` with a pointer to the row-major values.
    func withPointer<R>(_ body: (UnsafePointer<Float>) throws -> R) rethrows -> R {
        try values.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }
}
