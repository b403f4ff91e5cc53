import CBLAS

extension BLAS {
    /// The kernel family OpenBLAS picked when it loaded ("Haswell", "SkylakeX", "Prescott", …).
    ///
    /// OpenBLAS 0.3.21 does not know recent Xeons and falls back to "Prescott" (SSE3), about 2.5× slower
    /// for sgemm on this machine kind; setting `OPENBLAS_CORETYPE=SkylakeX` (or `Haswell`) in the process
    /// environment before launch selects a faster kernel. It cannot change once the library is loaded.
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }
}
