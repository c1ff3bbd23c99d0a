#!/usr/bin/env bash
# Short fuzz run of every target (FUZZ_SECONDS each, 60 by default), seeded from the fixtures and the
# committed regression corpus; a crash leaves its input in fuzz/artifacts/<target>/ and fails the run.
#   scripts/fuzz.sh                 # every target
#   scripts/fuzz.sh tags factors    # some
# Not part of scripts/test.sh: the instrumented build takes ~20 min on 2 cores. The regression corpus
# itself is replayed on every test run (tests/hostile_audio.rs, tests/import_sanity.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --version 0.13.2
# cargo fuzz needs unstable rustc flags: a nightly toolchain when there is one, else the stable
# compiler with its unstable features unlocked (the only toolchain some machines can get).
if rustup run nightly rustc --version >/dev/null 2>&1; then
  TOOLCHAIN=(+nightly)
else
  TOOLCHAIN=()
  export RUSTC_BOOTSTRAP=1
fi
SECONDS_EACH="${FUZZ_SECONDS:-60}"
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(tags decode_play decode_analysis import_history import_shared factors)
python3 fuzz/make_corpus.py >/dev/null
# No sanitizer: the code under test is safe Rust over C libraries (SQLite, libopus) that are not
# instrumented anyway; what is hunted is panics, aborts, hangs and allocations past the limit.
for target in "${TARGETS[@]}"; do
  cargo "${TOOLCHAIN[@]}" fuzz build --sanitizer none --fuzz-dir fuzz "$target"
done
mkdir -p target/fuzz-reports
status=0
for target in "${TARGETS[@]}"; do
  echo "== fuzz $target (${SECONDS_EACH} s)"
  log="target/fuzz-reports/$target.log"
  # 2 GB malloc/RSS limits: a header that makes a decoder ask for more is a finding, as it would
  # abort the app. -timeout: one input decoding for longer than 20 s is a hang.
  if ! cargo "${TOOLCHAIN[@]}" fuzz run --sanitizer none --fuzz-dir fuzz "$target" "fuzz/corpus/$target" -- \
      -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=20 \
      -print_final_stats=1 -seed="${FUZZ_SEED:-1}" >"$log" 2>&1; then
    status=1
    echo "   CRASH: see $log and fuzz/artifacts/$target/"
  fi
  grep -E "^(stat::number_of_executed_units|stat::new_units_added|Done)" "$log" | sed 's/^/   /' || true
done
exit $status
