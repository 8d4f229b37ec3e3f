#!/usr/bin/env bash
# Runs one fuzz target for a while (docs/fuzzing.md):
#   fuzz/run.sh TARGET [SECONDS]        default 60 s; TARGET: suite_parser, stream_decoder,
#                                       fault_profile
# New inputs go to fuzz/corpus/TARGET (ignored by git); the seeds are read, never written:
# fuzz/seeds/TARGET, and for the suite parser the example and fixture suites themselves.
# A crash leaves its input in fuzz/artifacts/TARGET and exits non-zero.
# CONVOY_FUZZ_CARGO overrides how cargo is called (default `cargo +nightly`; CI may use
# plain `cargo` with RUSTC_BOOTSTRAP=1 on a stable-only machine); CONVOY_FUZZ_BUILD adds
# cargo-fuzz build flags (CI: `--dev -s none`, a third of the build time).
set -euo pipefail
cd "$(dirname "$0")/.."

target="${1:?usage: fuzz/run.sh TARGET [SECONDS]}"
seconds="${2:-60}"
case "$target" in
  suite_parser) seeds=(suites tests/fixtures/valid tests/fixtures/invalid tests/fixtures/regress) ;;
  stream_decoder | fault_profile) seeds=("fuzz/seeds/$target") ;;
  *) echo "unknown fuzz target: $target" >&2; exit 2 ;;
esac
mkdir -p "fuzz/corpus/$target"
read -r -a cargo <<<"${CONVOY_FUZZ_CARGO:-cargo +nightly}"
read -r -a build <<<"${CONVOY_FUZZ_BUILD:-}"
# -timeout: an input taking over 10 s is a hang, not a slow case; -max_len: suites are a
# few KB, so 16 KB leaves room without slowing every execution.
exec "${cargo[@]}" fuzz run "${build[@]}" "$target" "fuzz/corpus/$target" "${seeds[@]}" -- \
  -max_total_time="$seconds" -timeout=10 -max_len=16384 -rss_limit_mb=2048 \
  -print_final_stats=1
