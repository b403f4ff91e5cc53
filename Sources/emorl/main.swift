import Foundation

// OpenBLAS 0.3.21 (Debian 12) does not recognise this machine kind's Xeons and falls back to its SSE3
// "Prescott" kernels, ~3× slower for sgemm. The kernel family is chosen when the library loads, so when
// the CPU has AVX2 and the user set nothing, emorl restarts itself once with OPENBLAS_CORETYPE=Haswell.
if ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil,
   (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?.contains(" avx2") == true {
    setenv("OPENBLAS_CORETYPE", "Haswell", 1)
    let arguments = CommandLine.arguments.map { strdup($0) } + [nil]
    execv("/proc/self/exe", arguments)
    // execv only returns on failure: carry on with the default kernels.
}

EmorlCommand.main()
