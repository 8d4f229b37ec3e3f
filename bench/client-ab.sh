#!/usr/bin/env bash
# Two convoy binaries on the throughput scenario of bench/run.sh (64 VUs, the like-for-like
# suite bench/suites-throughput, a standalone `convoy mock` on loopback), interleaved
# A B A B …, for a change of the HTTP client when oha is not at hand: each run's requests
# per second and its user+system CPU (GNU time, the load generator only) per request.
#
#   bench/client-ab.sh /tmp/convoy-before target/release/convoy
#   ROUNDS=5 SECONDS_PER_RUN=15 bench/client-ab.sh A B
#
# The mock is binary A's, the same for every run. Runs go to bench/out/client-ab/; the last
# lines printed are the medians. Needs GNU time (/usr/bin/time) and curl.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/bench/out/client-ab"
A="$(realpath "${1:?usage: bench/client-ab.sh BINARY_A BINARY_B}")"
B="$(realpath "${2:?usage: bench/client-ab.sh BINARY_A BINARY_B}")"
ROUNDS="${ROUNDS:-3}"
SECONDS_PER_RUN="${SECONDS_PER_RUN:-15}"
PORT="${BENCH_PORT:-18080}"
URL="http://127.0.0.1:$PORT"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
cd "$ROOT"
rm -rf "$OUT"
mkdir -p "$OUT"

"$A" mock --port "$PORT" --forms bench/suites >"$OUT/mock.log" 2>&1 &
MOCK_PID=$!
trap 'kill -INT "$MOCK_PID" 2>/dev/null || true; wait "$MOCK_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 200); do
  curl -fsS "$URL/__convoy/stats" >/dev/null 2>&1 && break
  sleep 0.05
done

# one NAME ROUND BINARY: prints "NAME ROUND requests req_per_s cpu_s us_per_request load1".
one() {
  local name="$1" round="$2" binary="$3" dir="$OUT/$1-$2"
  /usr/bin/time -f "%U %S" -o "$dir.time" "$binary" run bench/suites-throughput \
    --base-url "$URL" --vus 64 --duration "${SECONDS_PER_RUN}s" --quiet --format json \
    --out "$dir" >"$dir.log" 2>&1 || true
  local requests cpu
  requests="$(grep -m1 '"requests"' "$dir/run.json" | tr -dc '0-9')"
  cpu="$(awk '{print $1 + $2}' "$dir.time")"
  awk -v k="$name" -v r="$round" -v n="$requests" -v c="$cpu" -v s="$SECONDS_PER_RUN" \
    -v l="$(cut -d' ' -f1 /proc/loadavg)" \
    'BEGIN { printf "%s %s %d %.0f %.2f %.2f %s\n", k, r, n, n / s, c, c * 1e6 / n, l }'
}

echo "start $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg) cpus $(nproc)" | tee "$OUT/machine.txt"
echo "name round requests req_per_s cpu_s us_per_request load1"
for round in $(seq 1 "$ROUNDS"); do
  one A "$round" "$A"
  one B "$round" "$B"
done | tee "$OUT/results.txt"
echo "end $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt"
for name in A B; do
  for col in 4 6; do
    grep "^$name " "$OUT/results.txt" | awk -v c="$col" '{print $c}' | sort -n |
      awk -v k="$name" -v what="$([ "$col" = 4 ] && echo 'req/s' || echo 'µs CPU/request')" \
        '{v[NR]=$1} END {printf "%s median %s %s (min %s, max %s, n %d)\n", k, what, v[int((NR+1)/2)], v[1], v[NR], NR}'
  done
done
