#!/usr/bin/env bash
# CPU per turn of persona virtual users against scripted ones: closed-model load runs of
# the example personas (suites/personas.yaml) and of the scripted conversations of the
# same form (suites/event.yaml) on the embedded mock, interleaved A B A B …; each run's
# user+system CPU (GNU time) divided by its requests. The mock runs in the same process,
# so both sides include its work; the difference is the user simulator's.
#
#   bench/persona-cost.sh                 3 rounds of 10 s at --vus 50
#   ROUNDS=5 SECONDS_PER_RUN=20 VUS=200 bench/persona-cost.sh
#
# Needs GNU time (/usr/bin/time). Runs and their run.json go to bench/out/persona-cost/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/bench/out/persona-cost"
CONVOY="$ROOT/target/release/convoy"
ROUNDS="${ROUNDS:-3}"
SECONDS_PER_RUN="${SECONDS_PER_RUN:-10}"
VUS="${VUS:-50}"

if [ ! -x /usr/bin/time ]; then
  echo "error: /usr/bin/time (GNU time) is missing: apt-get install -y time" >&2
  exit 2
fi
cd "$ROOT"
[ -n "${NO_BUILD:-}" ] || cargo build --release --quiet
rm -rf "$OUT"
mkdir -p "$OUT"

# one KIND ROUND SUITE: prints "KIND ROUND requests cpu_seconds us_per_turn load".
one() {
  local kind="$1" round="$2" suite="$3" dir="$OUT/$1-$2"
  /usr/bin/time -f "%U %S" -o "$dir.time" "$CONVOY" run "$suite" --vus "$VUS" \
    --duration "${SECONDS_PER_RUN}s" --think 10ms --quiet --format json --out "$dir" >/dev/null || true
  local requests cpu
  requests="$(grep -m1 '"requests"' "$dir/run.json" | tr -dc '0-9')"
  cpu="$(awk '{print $1 + $2}' "$dir.time")"
  awk -v k="$kind" -v r="$round" -v n="$requests" -v c="$cpu" -v l="$(cut -d' ' -f1 /proc/loadavg)" \
    'BEGIN { printf "%s %s %d %.2f %.1f %s\n", k, r, n, c, c * 1e6 / n, l }'
}

echo "kind round requests cpu_s us_per_turn load1"
for round in $(seq 1 "$ROUNDS"); do
  one scripted "$round" suites/event.yaml
  one persona "$round" suites/personas.yaml
done | tee "$OUT/results.txt"
for kind in scripted persona; do
  grep "^$kind " "$OUT/results.txt" | awk '{print $5}' | sort -n |
    awk -v k="$kind" '{v[NR]=$1} END {printf "%s median %.1f µs/turn (min %.1f, max %.1f, n %d)\n", k, v[int((NR+1)/2)], v[1], v[NR], NR}'
done
