#!/usr/bin/env bash
# Runs a sharded convoy load test on Kubernetes and merges it:
#   1. applies the shared volume (pvc.yaml) and the Indexed Job of N shards, all starting
#      at one wall-clock instant (--start-at, now + START_DELAY seconds);
#   2. waits for every shard to finish (succeeded or failed: a shard that found failed
#      sessions exits 1 but still wrote its run.json);
#   3. runs the merge Job, prints its log, and exits with its exit code.
#
# Usage: TARGET_URL=https://staging.example/forms/ai/v1/interactive-form-sessions \
#          IMAGE=registry.example/convoy:0.1.0 ./run.sh
# Optional: SHARDS (4), RATE (40/s, the whole run's), DURATION (5m), RUN_ID
# (convoy-<UTC time>), START_DELAY (60 s: time for the pods to be scheduled), NAMESPACE.
set -euo pipefail
cd "$(dirname "$0")"

: "${TARGET_URL:?set TARGET_URL to the base URL under test}"
: "${IMAGE:?set IMAGE to a convoy image built from the repository Dockerfile}"
SHARDS="${SHARDS:-4}"
RATE="${RATE:-40/s}"
DURATION="${DURATION:-5m}"
RUN_ID="${RUN_ID:-convoy-$(date -u +%Y%m%d%H%M%S)}"
START_DELAY="${START_DELAY:-60}"
START_AT=$(( $(date +%s) + START_DELAY ))
KUBECTL=(kubectl ${NAMESPACE:+--namespace "$NAMESPACE"})

# Fills the __PLACEHOLDERS__ of a manifest. `|` delimits: URLs contain `/`.
render() {
  sed -e "s|__RUN_ID__|${RUN_ID}|g" \
      -e "s|__SHARDS__|${SHARDS}|g" \
      -e "s|__RATE__|${RATE}|g" \
      -e "s|__DURATION__|${DURATION}|g" \
      -e "s|__START_AT__|${START_AT}|g" \
      -e "s|__TARGET_URL__|${TARGET_URL}|g" \
      -e "s|__IMAGE__|${IMAGE}|g" "$1"
}

echo "run ${RUN_ID}: ${SHARDS} shards, ${RATE} in total for ${DURATION}, starting at $(date -u -d "@${START_AT}" +%FT%TZ 2>/dev/null || echo "${START_AT}")"
"${KUBECTL[@]}" apply -f pvc.yaml
render indexed-job.yaml | "${KUBECTL[@]}" apply -f -

# Waits until job $1 has $2 finished pods, succeeded or failed (backoffLimit 0: no
# retries). Not `kubectl wait --for=condition=complete`: a failed job never completes.
wait_finished() {
  local finished
  while true; do
    finished=$("${KUBECTL[@]}" get job "$1" \
      -o jsonpath='{.status.succeeded} {.status.failed}' | awk '{print $1 + $2}')
    [ "${finished:-0}" -ge "$2" ] && return
    sleep 5
  done
}

wait_finished "convoy-${RUN_ID}" "${SHARDS}"
echo "shards finished; merging"

render merge-job.yaml | "${KUBECTL[@]}" apply -f -
wait_finished "convoy-${RUN_ID}-merge" 1
"${KUBECTL[@]}" logs "job/convoy-${RUN_ID}-merge"
code=$("${KUBECTL[@]}" get pods -l "job-name=convoy-${RUN_ID}-merge" \
  -o jsonpath='{.items[0].status.containerStatuses[0].state.terminated.exitCode}')
echo "merged reports: /reports/${RUN_ID}/merged on the convoy-reports volume (exit ${code:-unknown})"
exit "${code:-3}"
