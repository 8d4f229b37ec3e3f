#!/usr/bin/env bash
# Reproduce every figure of docs/performance.md.
#
#   bench/run.sh                 build, install the other tools, run every scenario, print the table
#   bench/run.sh throughput      one scenario (or several: bench/run.sh accuracy stall)
#   bench/run.sh table           print the table of what bench/out/results.tsv holds
#
# Scenarios: build tools throughput cost memory soak accuracy stall streaming faults size
# (`all` = every one; `soak` runs SOAK_SECONDS, 600 by default).
# Everything runs on loopback: one `convoy mock` process per scenario (port $BENCH_PORT),
# the load generator in another process. Raw outputs go to bench/out/<scenario>/,
# one line per figure to bench/out/results.tsv.
#
# Knobs (environment): BENCH_PORT (18080), REPEAT (3 runs per figure, median reported),
# THROUGHPUT_SECONDS (15), COST_SECONDS (20), COST_RATE (100 conversations/s),
# MEMORY_VUS (5000), SOAK_SECONDS (600), SOAK_VUS (200), FAULTS_SECONDS (60).
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
OUT="$BENCH/out"
CONVOY="$ROOT/target/release/convoy"
PORT="${BENCH_PORT:-18080}"
URL="http://127.0.0.1:$PORT"
REPEAT="${REPEAT:-3}"
RESULTS="$OUT/results.tsv"
PY="python3 $BENCH/lib"
mkdir -p "$OUT"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

log() { printf '\n== %s  [%s | load:%s]\n' "$*" "$(date -u +%H:%M:%S)" "$(cut -d' ' -f1-3 /proc/loadavg)" >&2; }

# ---------------------------------------------------------------- the mock
MOCK_PID=""
# mock_start NAME [convoy mock flags...]: serve bench/suites on $PORT, wait until it answers.
mock_start() {
  local name="$1"; shift
  mock_stop
  "$CONVOY" mock --port "$PORT" --forms "$BENCH/suites" "$@" >"$OUT/$name.mock.log" 2>&1 &
  MOCK_PID=$!
  for _ in $(seq 1 200); do
    curl -fsS "$URL/__convoy/stats" >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  echo "mock did not start: $(cat "$OUT/$name.mock.log")" >&2; return 1
}
# CPU seconds (user + sys) the mock process has used so far.
mock_cpu() { awk -v t="$(getconf CLK_TCK)" '{print ($14 + $15) / t}' "/proc/$MOCK_PID/stat"; }
mock_stats() { curl -fsS "$URL/__convoy/stats" >"$1"; }
mock_stop() {
  if [[ -n "$MOCK_PID" ]] && kill -0 "$MOCK_PID" 2>/dev/null; then
    kill -INT "$MOCK_PID" 2>/dev/null || true
    wait "$MOCK_PID" 2>/dev/null || true
  fi
  MOCK_PID=""
}
trap mock_stop EXIT

# convoy_run DIR [run flags...]: a load run of bench/suites against the mock, measured
# by lib/proc.py (CPU of convoy alone, RSS samples) into DIR/proc.json.
convoy_run() {
  local dir="$1"; shift
  rm -rf "$dir"; mkdir -p "$dir"
  $PY/proc.py --json "$dir/proc.json" -- "$CONVOY" run "$BENCH/suites" --base-url "$URL" \
    --quiet --out "$dir/report" "$@" >"$dir/stdout.log" 2>"$dir/stderr.log" || true
}

machine() {
  {
    echo "date: $(date -u +%FT%TZ)"
    echo "nproc: $(nproc)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
    echo "kernel: $(uname -r)"
    echo "mem: $(free -m | awk '/Mem:/{print $2" MB"}')"
    echo "load: $(cat /proc/loadavg)"
    echo "convoy: $(git -C "$ROOT" rev-parse --short HEAD)"
  } | tee "$OUT/machine.txt"
}

# ---------------------------------------------------------------- scenarios
s_build() {
  log "build (release)"
  (cd "$ROOT" && cargo build --release --quiet)
}

s_tools() {
  log "tools: oha, locust, artillery"
  export PATH="$HOME/.cargo/bin:$PATH"
  command -v oha >/dev/null || cargo install oha --locked --quiet \
    || echo "oha: cargo install failed" >&2
  python3 -c 'import locust' 2>/dev/null || pip install --quiet locust \
    || echo "locust: pip install failed" >&2
  [[ -x "$BENCH/node_modules/.bin/artillery" ]] || (cd "$BENCH" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund artillery) \
    || echo "artillery: npm install failed" >&2
}

# Throughput: convoy at 64 VUs vs oha with 64 connections, mock with no delay.
s_throughput() {
  log "throughput: convoy --vus 64 vs oha -c 64"
  local secs="${THROUGHPUT_SECONDS:-15}" d="$OUT/throughput"
  export PATH="$HOME/.cargo/bin:$PATH"
  rm -rf "$d"; mkdir -p "$d"
  mock_start throughput
  local sid i
  for i in $(seq 1 "$REPEAT"); do
    # convoy: the same request as oha (19 of every 21), then the create + 3 turns suite.
    rm -rf "$d/convoy.$i"; mkdir -p "$d/convoy.$i"
    mock_cpu >"$d/convoy.$i.mockcpu0"
    $PY/proc.py --json "$d/convoy.$i/proc.json" -- "$CONVOY" run "$BENCH/suites-throughput" \
      --base-url "$URL" --quiet --out "$d/convoy.$i/report" --vus 64 --duration "${secs}s" \
      --format json >"$d/convoy.$i/stdout.log" 2>&1 || true
    mock_cpu >"$d/convoy.$i.mockcpu1"
    convoy_run "$d/convoy-conversation.$i" --vus 64 --duration "${secs}s" --format json
    if command -v oha >/dev/null; then
      # A fresh session each time: the mock keeps 100,000 and evicts the oldest.
      sid=$(curl -fsS -X POST "$URL/" -H 'content-type: application/json' \
            -d '{"formId":"7c9e6679-7425-40de-944b-e07fc1f90ae7","dryRun":true}' \
            | python3 -c 'import json,sys; print(json.load(sys.stdin)["interactiveFormSession"]["id"])')
      curl -fsS -X POST "$URL/$sid/send-user-message" -H 'content-type: application/json' \
        -d '{"input":"Hi, I'"'"'m Dana Levi, dana@example.com. Company: Acme Ltd"}' >"$d/oha.$i.submit.json"
      mock_cpu >"$d/oha.$i.mockcpu0"
      $PY/proc.py --json "$d/oha.$i.proc.json" -- sh -c "oha --no-tui --output-format json -c 64 \
        -z ${secs}s -m POST -H 'content-type: application/json' -d '{\"input\":\"Company: Acme Ltd\"}' \
        $URL/$sid/send-user-message >$d/oha.$i.json 2>$d/oha.$i.err" || true
      mock_cpu >"$d/oha.$i.mockcpu1"
    fi
  done
  mock_stats "$d/mock-stats.json"
  mock_stop
  $PY/evaluate.py throughput "$d" "$RESULTS"
}

# Cost: CPU seconds of the load generator per 10,000 turns (requests), same conversation
# (create + 3 sends), same arrival rate of conversations, for convoy, Locust, Artillery.
s_cost() {
  log "cost: CPU per 10k turns, convoy vs locust vs artillery"
  local secs="${COST_SECONDS:-20}" rate="${COST_RATE:-100}" d="$OUT/cost"
  rm -rf "$d"; mkdir -p "$d"
  mock_start cost
  for i in $(seq 1 "$REPEAT"); do
    convoy_run "$d/convoy.$i" --rate "${rate}/s" --duration "${secs}s" --format json
    convoy_run "$d/convoy-closed.$i" --vus 64 --duration "${secs}s" --format json
    if python3 -c 'import locust' 2>/dev/null; then
      mkdir -p "$d/locust.$i"
      # 64 users, each pacing its conversations to rate/64 per second.
      BENCH_PACING_S=$(python3 -c "print(64/$rate)") \
      $PY/proc.py --json "$d/locust.$i/proc.json" -- locust -f "$BENCH/locustfile.py" \
        --headless -u 64 -r 64 -t "${secs}s" --host "$URL" --only-summary \
        --csv "$d/locust.$i/stats" >"$d/locust.$i/stdout.log" 2>&1 || true
    fi
    if [[ -x "$BENCH/node_modules/.bin/artillery" ]]; then
      mkdir -p "$d/artillery.$i"
      sed -e "s#http://127.0.0.1:18080#$URL#" -e "s#duration: 20#duration: $secs#" \
          -e "s#arrivalRate: 100#arrivalRate: $rate#" "$BENCH/artillery.yml" >"$d/artillery.$i/artillery.yml"
      (cd "$BENCH" && $PY/proc.py --json "$d/artillery.$i/proc.json" -- \
        "$BENCH/node_modules/.bin/artillery" run --output "$d/artillery.$i/report.json" \
        "$d/artillery.$i/artillery.yml" >"$d/artillery.$i/stdout.log" 2>&1) || true
    fi
  done
  # Start-up cost of each tool: a tiny run (one conversation), subtracted in the
  # "minus start-up" figures.
  convoy_run "$d/startup-convoy" --iterations 1 --vus 1 --format json
  if python3 -c 'import locust' 2>/dev/null; then
    mkdir -p "$d/startup-locust"
    $PY/proc.py --json "$d/startup-locust/proc.json" -- locust -f "$BENCH/locustfile.py" \
      --headless -u 1 -r 1 -t 1s --host "$URL" --only-summary >"$d/startup-locust/stdout.log" 2>&1 || true
  fi
  if [[ -x "$BENCH/node_modules/.bin/artillery" ]]; then
    mkdir -p "$d/startup-artillery"
    sed -e "s#http://127.0.0.1:18080#$URL#" -e "s#duration: 20#duration: 1#" \
        -e "s#arrivalRate: 100#arrivalRate: 1#" "$BENCH/artillery.yml" >"$d/startup-artillery/artillery.yml"
    (cd "$BENCH" && $PY/proc.py --json "$d/startup-artillery/proc.json" -- \
      "$BENCH/node_modules/.bin/artillery" run "$d/startup-artillery/artillery.yml" \
      >"$d/startup-artillery/stdout.log" 2>&1) || true
  fi
  mock_stop
  $PY/evaluate.py cost "$d" "$RESULTS"
}

# Memory: 5,000 concurrent sessions (think 5 s) for 60 s, RSS of convoy sampled every second.
s_memory() {
  local vus="${MEMORY_VUS:-5000}" d="$OUT/memory"
  log "memory: --vus $vus --think 5s --duration 60s"
  mock_start memory
  convoy_run "$d" --vus "$vus" --think 5s --duration 60s --format json
  mock_stop
  $PY/evaluate.py memory "$d" "$RESULTS" "$vus"
}

# Soak: RSS at 1 minute vs at the end of SOAK_SECONDS at 200 VUs (think 200 ms).
s_soak() {
  local secs="${SOAK_SECONDS:-600}" vus="${SOAK_VUS:-200}" d="$OUT/soak"
  log "soak: --vus $vus --think 200ms --duration ${secs}s"
  mock_start soak
  convoy_run "$d" --vus "$vus" --think 200ms --duration "${secs}s" --format json,csv
  mock_stop
  $PY/evaluate.py soak "$d" "$RESULTS" "$secs"
}

# Accuracy: every send delayed exactly 50 ms by the mock; 1,000 VUs with 1..3 s think
# (uniform: a fixed think time keeps the 1,000 VUs in step and every turn becomes a
# burst of 1,000 requests at once; ACCURACY_THINK=2s reproduces that).
s_accuracy() {
  local d="$OUT/accuracy" think="${ACCURACY_THINK:-1s..3s}"
  log "accuracy: mock send=50ms, --vus 1000 --think $think"
  rm -rf "$d".*
  for i in $(seq 1 "$REPEAT"); do
    mock_start accuracy --latency send=50ms
    convoy_run "$d.$i" --vus 1000 --think "$think" --duration 40s --warmup 10s --format json
    mock_stop
  done
  # Reference: what oha sees on the same mock (1,000 connections, ~500 requests/s like
  # the convoy runs), to tell the mock's own overshoot from convoy's.
  if command -v oha >/dev/null; then
    mock_start accuracy-oha --latency send=50ms
    local sid
    sid=$(curl -fsS -X POST "$URL/" -H 'content-type: application/json' \
          -d '{"formId":"7c9e6679-7425-40de-944b-e07fc1f90ae7","dryRun":true}' \
          | python3 -c 'import json,sys; print(json.load(sys.stdin)["interactiveFormSession"]["id"])')
    oha --no-tui --output-format json -c 1000 -q 500 -z 30s -m POST \
      -H 'content-type: application/json' -d '{"input":"Company: Acme Ltd"}' \
      "$URL/$sid/send-user-message" >"$OUT/accuracy-oha.json" 2>/dev/null || true
    mock_stop
  fi
  $PY/evaluate.py accuracy "$OUT" "$RESULTS"
}

# Coordinated omission: a 2 s stall at t=10 s, open model at 50 sessions/s capped at
# STALL_CAPS sessions at once (each cap is one run; default "10 20").
s_stall() {
  for cap in ${STALL_CAPS:-10 20}; do
    local d="$OUT/stall-cap$cap"
    log "stall: mock --stall 2s@10s, --rate 50/s --duration 30s --max-sessions $cap"
    mock_start "stall-cap$cap" --stall 2s@10s
    convoy_run "$d" --rate 50/s --duration 30s --max-sessions "$cap" --format json
    mock_stats "$d/mock-stats.json"
    mock_stop
  done
  $PY/evaluate.py stall "$OUT" "$RESULTS"
}

# Streaming: TTFC 200 ms, 30 ms between chunks, each framing.
s_streaming() {
  log "streaming: --stream-ttfc 200ms --stream-gap 30ms"
  for fmt in array ndjson sse; do
    mock_start "streaming-$fmt" --stream-format "$fmt" --stream-ttfc 200ms --stream-gap 30ms
    convoy_run "$OUT/streaming-$fmt" --streamed --vus 50 --duration 20s --warmup 2s --format json
    mock_stop
  done
  $PY/evaluate.py streaming "$OUT" "$RESULTS"
}

# Faults: 5 % of every fault class, unary and streamed runs; client counts vs mock tally.
s_faults() {
  local secs="${FAULTS_SECONDS:-60}"
  log "faults: 5% of each class, ${secs}s unary + ${secs}s streamed"
  for mode in unary streamed; do
    local d="$OUT/faults-$mode" extra=()
    [[ $mode == streamed ]] && extra=(--streamed)
    mock_start "faults-$mode" --faults "$BENCH/faults-5pct.yaml"
    convoy_run "$d" --vus 32 --think 50ms --duration "${secs}s" "${extra[@]}" \
      --timeout 5s --format json,csv,junit,md
    mock_stats "$d/mock-stats.json"
    mock_stop
  done
  $PY/evaluate.py faults "$OUT" "$RESULTS"
}

# run.json size of the longest load run that is on disk.
s_size() {
  log "size: run.json of the longest run"
  $PY/evaluate.py size "$OUT" "$RESULTS"
}

s_table() { $PY/evaluate.py table "$OUT" "$RESULTS"; }

ALL=(build tools throughput cost memory accuracy stall streaming faults soak size)
[[ $# -eq 0 || "$1" == all ]] && set -- "${ALL[@]}"
machine
for s in "$@"; do
  case "$s" in
    build|tools|throughput|cost|memory|soak|accuracy|stall|streaming|faults|size|table) "s_$s" ;;
    *) echo "unknown scenario: $s (one of: ${ALL[*]} table)" >&2; exit 2 ;;
  esac
done
s_table
