#!/usr/bin/env bash
# False alarms of `convoy compare`: pairs of runs with the same configuration on this
# machine, each pair compared; every comparison should exit 0. Then one pair whose mock
# answers sends 5 ms later, which must exit 1 (the method is not blind).
#
#   bench/compare-noise.sh            20 functional pairs of suites/, 5 pairs of 10 s --vus 20
#   FUNCTIONAL_PAIRS=5 LOAD_PAIRS=2 LOAD_SECONDS=5 bench/compare-noise.sh
#
# Runs the release binary on the embedded mock (loopback only). Raw runs and compare
# tables go to bench/out/compare-noise/; the last lines printed are the counts.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/bench/out/compare-noise"
CONVOY="$ROOT/target/release/convoy"
FUNCTIONAL_PAIRS="${FUNCTIONAL_PAIRS:-20}"
LOAD_PAIRS="${LOAD_PAIRS:-5}"
LOAD_SECONDS="${LOAD_SECONDS:-10}"

cd "$ROOT"
cargo build --release --quiet
rm -rf "$OUT"
mkdir -p "$OUT"
load() { cut -d' ' -f1-3 /proc/loadavg; }

# pair KIND N RUN-ARGS...: two runs, then compare; prints "KIND N exit CODE".
pair() {
  local kind="$1" n="$2"; shift 2
  local dir="$OUT/$kind-$n"
  "$CONVOY" run "$@" --quiet --format json --out "$dir/base" >/dev/null
  "$CONVOY" run "$@" --quiet --format json --out "$dir/new" >/dev/null
  local code=0
  "$CONVOY" compare --all "$dir/base/run.json" "$dir/new/run.json" >"$dir/compare.txt" || code=$?
  echo "$kind $n exit $code load $(load)" | tee -a "$OUT/results.txt"
}

echo "start $(date -u +%FT%TZ) load $(load) cpus $(nproc)" | tee "$OUT/results.txt"
for n in $(seq 1 "$FUNCTIONAL_PAIRS"); do
  pair functional "$n" suites
done
for n in $(seq 1 "$LOAD_PAIRS"); do
  pair load "$n" suites --vus 20 --duration "${LOAD_SECONDS}s"
done

# Sensitivity: the same load, the second run's mock 5 ms slower on sends.
dir="$OUT/slower-send"
"$CONVOY" run suites --vus 20 --duration "${LOAD_SECONDS}s" --quiet --format json \
  --out "$dir/base" >/dev/null
"$CONVOY" run suites --vus 20 --duration "${LOAD_SECONDS}s" --latency send=5ms --quiet \
  --format json --out "$dir/new" >/dev/null
code=0
"$CONVOY" compare "$dir/base/run.json" "$dir/new/run.json" >"$dir/compare.txt" || code=$?
echo "slower-send 1 exit $code load $(load)" | tee -a "$OUT/results.txt"
grep "regressed: " "$dir/compare.txt" | head -3

echo "end $(date -u +%FT%TZ) load $(load)" | tee -a "$OUT/results.txt"
for kind in functional load; do
  total=$(grep -c "^$kind " "$OUT/results.txt" || true)
  clean=$(grep -c "^$kind .* exit 0 " "$OUT/results.txt" || true)
  echo "$kind: $clean of $total identical pairs compared as no regression"
done
echo "slower send: exit $code (1 expected)"
