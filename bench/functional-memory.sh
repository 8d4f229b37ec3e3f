#!/usr/bin/env bash
# Peak memory of a large functional run: one conversation (the data-driven one of
# suites/leads.yaml) expanded by a `data:` CSV into ROWS conversations (10,000 by
# default, the documented maximum), run on the embedded mock. Prints the peak RSS of the
# convoy process (GNU time's "Maximum resident set size") and the run's verdict counts.
#
#   bench/functional-memory.sh              10,000 conversations
#   ROWS=2000 bench/functional-memory.sh
#   NO_BUILD=1 bench/functional-memory.sh   use target/release/convoy as it is
#   FAIL=1 bench/functional-memory.sh       every row fails (digits in the names, which the
#                                           mock does not extract): failures kept whole
#
# Needs GNU time (/usr/bin/time; `apt-get install -y time`). The suite and the reports go
# to a temporary directory, removed at exit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CONVOY="$ROOT/target/release/convoy"
ROWS="${ROWS:-10000}"
CONCURRENCY="${CONCURRENCY:-32}"

if [ ! -x /usr/bin/time ]; then
  echo "error: /usr/bin/time (GNU time) is missing: apt-get install -y time" >&2
  exit 2
fi
cd "$ROOT"
if [ -z "${NO_BUILD:-}" ]; then
  cargo build --release --quiet
fi

TMP="$(mktemp -d)"
trap '[ -n "${KEEP:-}" ] || rm -rf "$TMP"' EXIT

# Unique names, emails and companies per row (letters only: the mock extracts names
# made of letters), so every conversation really differs; every row passes. With FAIL=1
# the names end in the row number instead, and every row fails.
awk -v rows="$ROWS" -v fail="${FAIL:-}" 'BEGIN {
  print "first,last,email,company"
  for (i = 1; i <= rows; i++) {
    n = i; tag = ""
    while (n > 0) { tag = tag substr("abcdefghijklmnopqrstuvwxyz", n % 26 + 1, 1); n = int(n / 26) }
    gsub(/and/, "anx", tag)  # the mock reads "and" as a list separator
    if (fail != "") tag = i
    printf "Dana%s,Levi%s,dana.%s@example.com,Acme %s Ltd\n", tag, tag, tag, tag
  }
}' >"$TMP/rows.csv"

cat >"$TMP/memory.yaml" <<'YAML'
version: 1
name: memory
form:
  id: 7a3e5b1c-2d4f-4a6b-8c9d-0e1f2a3b4c5d
  name: Lead capture
  fields:
    - {key: first_name, label: First name, type: string, required: true}
    - {key: last_name, label: Last name, type: string}
    - {key: email, label: Email, type: string, format: email, required: true}
    - {key: company, label: Company, type: string, required: true}
conversations:
  - name: gives everything at once
    data: rows.csv
    turns:
      - user: "Hi, I'm {{first}} {{last}}, {{email}}. Company: {{company}}"
        expect:
          fields:
            first_name: "{{first}}"
            last_name: "{{last}}"
            email: "{{email}}"
            company: "{{company}}"
          submitted: true
    final:
      fields: {email: "{{email}}"}
YAML

echo "rows $ROWS concurrency $CONCURRENCY load $(cut -d' ' -f1-3 /proc/loadavg) cpus $(nproc)"
code=0
/usr/bin/time -v -o "$TMP/time.txt" "$CONVOY" run "$TMP/memory.yaml" --quiet \
  --concurrency "$CONCURRENCY" --out "$TMP/reports" >"$TMP/stdout.txt" 2>&1 || code=$?
grep -E "conversations|passed|failed" "$TMP/stdout.txt" | tail -n 3 || true
echo "exit $code"
grep -E "Maximum resident set size|Elapsed \(wall clock\)" "$TMP/time.txt"
ls -l "$TMP/reports" | awk 'NR > 1 { print $5, $9 }'
