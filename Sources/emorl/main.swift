import Foundation

// OpenBLAS 0.3.21 (Debian 12) does not recognise this machine kind's Xeons and falls back to its SSE3
// "Prescott" kernels, ~3× slower for sgemm. The kernel family is chosen when the library loads, so when
// the user set nothing, emorl restarts itself once with OPENBLAS_CORETYPE naming the widest family the CPU
// runs: SkylakeX with AVX-512 (about 1.5× Haswell's sgemm on the sentence encoder here), else Haswell with AVX2.
if ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil,
   let cpu = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
   let core = cpu.contains(" avx512f") ? "SkylakeX" : cpu.contains(" avx2") ? "Haswell" : nil {
    setenv("OPENBLAS_CORETYPE", core, 1)
    let arguments = CommandLine.arguments.map { strdup($0) } + [nil]
    execv("/proc/self/exe", arguments)
    // execv only returns on failure: carry on with the default kernels.
}

EmorlCommand.main()
