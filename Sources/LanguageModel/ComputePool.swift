import CKernels

/// A fixed set of threads for the quantized engine's kernels, with an explicit thread count.
///
/// The caller's thread is thread 0, so `threads: 2` starts one worker. After each call, workers spin for
/// `spinMicroseconds` (cheap dispatch for the ~120 calls of a decode step), then sleep: an idle engine
/// leaves no core busy for the UI or a trainer. Calls from several threads are serialised.
public final class ComputePool: @unchecked Sendable {
    let raw: OpaquePointer

    /// A pool of `threads` threads in all (at least 1).
    public init(threads: Int, spinMicroseconds: Int = 100) {
        raw = ck_pool_create(Int32(max(1, threads)), Int32(spinMicroseconds))
    }

    deinit {
        ck_pool_destroy(raw)
    }

    /// Threads in the pool, the caller's included.
    public var threadCount: Int { Int(ck_pool_threads(raw)) }

    /// Which SIMD path the quantized kernels take on this CPU ("avx512-vnni", "avx-vnni", "avx2" or "portable").
    public static var kernelPath: String {
        switch ck_active_path() {
        case CK_PATH_AVX512_VNNI: "avx512-vnni"
        case CK_PATH_AVX_VNNI: "avx-vnni"
        case CK_PATH_AVX2: "avx2"
        default: "portable"
        }
    }
}
