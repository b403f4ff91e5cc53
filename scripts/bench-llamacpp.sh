#!/usr/bin/env bash
# Side-by-side speed of emorl's quantized engine and llama.cpp on the same GGUF, same thread count, one run.
# Outside CI: the first run builds llama-cpp-python from source (~10 minutes).
#
#   scripts/bench-llamacpp.sh [--threads N] [--runs N] [--precision refined|fast]
#
# llama.cpp comes from PyPI llama-cpp-python==0.3.36, built into a venv at $LLAMACPP_VENV (default
# $EMORL_HOME/llamacpp-venv) with every x86 SIMD extension this machine kind has (AVX2, FMA, AVX-VNNI,
# AVX-512 with VNNI/VBMI/BF16) but not AMX: with GGML_NATIVE=ON the build uses AMX tiles, which this VM
# lists in /proc/cpuinfo but does not allow (the first product dies with SIGILL on tileloadd). Both engines get a 64-token prompt (the bench
# paragraph repeated) and decode 64 tokens greedily (forward + head + argmax per token); figures are
# medians of --runs runs after one warm-up.
set -euo pipefail

threads=2
runs=5
precision=refined
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --precision) precision=$2; shift 2 ;;
    *) echo "usage: $0 [--threads N] [--runs N] [--precision refined|fast]" >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
EMORL_HOME="${EMORL_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/emorl}"
model="$EMORL_HOME/SmolLM2-135M-Instruct.Q4_1.gguf"
venv="${LLAMACPP_VENV:-$EMORL_HOME/llamacpp-venv}"
[ -f "$model" ] || { echo "bench-llamacpp: $model is missing; run scripts/setup" >&2; exit 1; }

if ! "$venv/bin/python" -c "import llama_cpp, sys; sys.exit(llama_cpp.__version__ != '0.3.36')" 2>/dev/null; then
  echo "bench-llamacpp: building llama-cpp-python 0.3.36 into $venv (about 10 minutes)" >&2
  python3 -m venv "$venv"
  CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON \
-DGGML_AVX_VNNI=ON -DGGML_AVX512=ON -DGGML_AVX512_VBMI=ON -DGGML_AVX512_VNNI=ON -DGGML_AVX512_BF16=ON" \
    "$venv/bin/pip" install --quiet --no-cache-dir llama-cpp-python==0.3.36
fi

echo "bench-llamacpp: building emorl (release)" >&2
(cd "$root" && swift build -c release --product emorl >/dev/null)
emorl_json=$("$root/.build/release/emorl" bench generate --threads "$threads" --runs "$runs" --precision "$precision" \
  --model "$model" --json)

EMORL_JSON="$emorl_json" "$venv/bin/python" - "$model" "$threads" "$runs" <<'PY'
import json, os, statistics, sys, time
import numpy as np
from llama_cpp import Llama

model, threads, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
paragraph = ("I have been feeling stretched thin at work lately, and when I get home I just sit in the car for a while "
             "because I cannot face another conversation about what needs to be fixed.")
llm = Llama(model_path=model, n_threads=threads, n_threads_batch=threads, n_ctx=512, n_batch=512, verbose=False)
pieces = llm.tokenize(paragraph.encode(), add_bos=False, special=False)
prompt = (pieces * (1 + 64 // len(pieces)))[:64]

def prefill():
    llm.reset()
    start = time.perf_counter()
    llm.eval(prompt)
    return time.perf_counter() - start

def decode(steps=64):
    llm.reset()
    llm.eval(prompt)
    start = time.perf_counter()
    for _ in range(steps):
        llm.eval([int(np.argmax(llm.scores[llm.n_tokens - 1]))])
    return steps / (time.perf_counter() - start)

prefill(); decode(8)                                   # warm-up
prefill_tps = statistics.median(64 / prefill() for _ in range(runs))
decode_tps = statistics.median(decode() for _ in range(runs))

ours = json.loads(os.environ["EMORL_JSON"])
rows = [
    ("prefill, 64-token prompt (tok/s)", ours["prefillTokensPerSecond"], prefill_tps, ours.get("referencePrefillTokensPerSecond")),
    ("decode, 1 stream (tok/s)", ours["decodeTokensPerSecond"], decode_tps, ours.get("referenceDecodeTokensPerSecond")),
]
print(f"same run, {threads} threads, medians of {runs}; emorl kernels: {ours['kernelPath']}, {ours['precision']} precision")
print(f"{'':34} {'emorl':>9} {'llama.cpp':>10} {'emorl f32':>10}")
for name, a, b, c in rows:
    print(f"{name:34} {a:9.1f} {b:10.1f} {c if c is None else round(c, 1)!s:>10}")
for e in ours["ensembles"]:
    print(f"3 streams, adapters on the top {e['adapterBlocks']} blocks:")
    print(f"{'  decode, mixed (steps/s)':34} {e['stepsPerSecond']:9.1f}")
    print(f"{'  48-token reflection (ms)':34} {e['reflectionMilliseconds']:9.1f}")
PY
