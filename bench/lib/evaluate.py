#!/usr/bin/env python3
"""Turn the raw outputs of bench/run.sh into figures: one TSV line per figure in
bench/out/results.tsv (scenario, figure, value, target, verdict, note), replacing earlier
lines of the same scenario.

    evaluate.py SCENARIO DIR RESULTS [ARGS...]
    evaluate.py table OUT RESULTS
"""
import csv, glob, json, os, statistics, sys


def load(path):
    with open(path) as f:
        return json.load(f)


def op_summary(records, op):
    for r in records or []:
        if r.get("kind") == "operation" and r.get("operation") == op:
            return r["summary"]
    return None


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(x, nd=1):
    if x is None:
        return "n/a"
    if isinstance(x, float):
        return f"{x:.4g}" if abs(x) < 100 else f"{x:.{nd}f}"
    return str(x)


def verdict(ok):
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


class Results:
    def __init__(self, path, scenario):
        self.path, self.scenario, self.rows = path, scenario, []

    def add(self, figure, value, target, ok, note=""):
        self.rows.append([self.scenario, figure, fmt(value) if not isinstance(value, str) else value,
                          target, verdict(ok), note])
        print(f"  {figure:<44} {self.rows[-1][2]:>14}  target {target:<18} {verdict(ok):<5} {note}")

    def save(self):
        old = []
        if os.path.exists(self.path):
            with open(self.path) as f:
                old = [r for r in csv.reader(f, delimiter="\t") if r and r[0] != self.scenario]
        with open(self.path, "w", newline="") as f:
            w = csv.writer(f, delimiter="\t")
            for r in old + self.rows:
                w.writerow(r)


def run_rps(run_dir):
    """Requests per second of a convoy load run: requests / elapsed."""
    rj = os.path.join(run_dir, "report", "run.json")
    if not os.path.exists(rj):
        return None, None
    r = load(rj)
    req = r["counters"]["requests"]
    return req / (r["elapsed_us"] / 1e6), r


def throughput(d, res):
    convoy, conv, oha, base, per_req = [], [], [], [], {}
    series = (("convoy.*", convoy, "convoy"), ("convoy-conversation.*", conv, None),
              ("baseline.*", base, "baseline"))
    for pattern, into, tool in series:
        for p in sorted(glob.glob(os.path.join(d, pattern))):
            rps, r = run_rps(p)
            if rps is None:
                continue
            errs = sum(r["counters"]["errors_by_class"].values())
            cpu = load(os.path.join(p, "proc.json"))["cpu_s"]
            print(f"  {os.path.basename(p)}: {rps:.0f} req/s, {r['counters']['requests']} requests, "
                  f"{errs} errors, {r['counters']['failed']} failed, convoy cpu {cpu:.1f}s, "
                  f"send p50 {op_summary(r['latency']['operations'], 'send')['p50_us']} us")
            into.append(rps)
            m0, m1 = p + ".mockcpu0", p + ".mockcpu1"
            if os.path.exists(m0) and os.path.exists(m1):
                mock = float(open(m1).read()) - float(open(m0).read())
                n = r["counters"]["requests"]
                print(f"    {tool or 'convoy'} {cpu / n * 1e6:.1f} us CPU per request, mock {mock / n * 1e6:.1f} us")
                if tool:
                    per_req.setdefault(tool, []).append(cpu / n * 1e6)
    for p in sorted(glob.glob(os.path.join(d, "oha.[0-9]*.json"))):
        if not __import__("re").search(r"oha\.\d+\.json$", p):
            continue
        try:
            o = load(p)
        except (json.JSONDecodeError, OSError):
            continue
        s = o.get("summary", {})
        rps = s.get("requestsPerSec")
        codes = o.get("statusCodeDistribution")
        print(f"  {os.path.basename(p)}: {rps:.0f} req/s, success rate {s.get('successRate')}, codes {codes}")
        if set(codes or {}) != {"200"}:
            print("    (not all 200: left out)")
            continue
        oha.append(rps)
        pj = p[:-len(".json")] + ".proc.json"
        m0, m1 = p[:-len(".json")] + ".mockcpu0", p[:-len(".json")] + ".mockcpu1"
        if os.path.exists(pj) and os.path.exists(m1):
            n = sum(codes.values())
            cpu = load(pj)["cpu_s"]
            mock = float(open(m1).read()) - float(open(m0).read())
            print(f"    oha {cpu / n * 1e6:.1f} us CPU per request, mock {mock / n * 1e6:.1f} us")
            per_req.setdefault("oha", []).append(cpu / n * 1e6)
    c, o = median(convoy), median(oha)
    res.add("convoy req/s, 64 VUs, create+3 (median)", median(conv), "", None, f"runs {[round(x) for x in conv]}")
    res.add("convoy req/s, 64 VUs, like oha (median)", c, "", None, f"runs {[round(x) for x in convoy]}")
    res.add("oha req/s, 64 connections (median)", o, "", None, f"runs {[round(x) for x in oha]}")
    for tool, xs in per_req.items():
        res.add(f"{tool} CPU per request (us, median)", round(median(xs), 1), "(info)", None,
                f"runs {[round(x, 1) for x in xs]}")
    ratio = c / o if c and o else None
    res.add("convoy (like oha) / oha", ratio if ratio is None else round(ratio, 3), ">= 0.9",
            None if ratio is None else ratio >= 0.9)
    if base:
        b = median(base)
        res.add("baseline convoy req/s, 64 VUs, like oha (median)", b, "", None,
                f"runs {[round(x) for x in base]}")
        res.add("baseline convoy (like oha) / oha", round(b / o, 3) if b and o else None, "(info)", None)
        res.add("convoy / baseline req/s", round(c / b, 3) if c and b else None, ">= 0.9",
                None if not (c and b) else c / b >= 0.9)
        cpu_ratio = (median(per_req["convoy"]) / median(per_req["baseline"])
                     if per_req.get("convoy") and per_req.get("baseline") else None)
        res.add("convoy / baseline CPU per request", None if cpu_ratio is None else round(cpu_ratio, 3),
                "<= 1.1", None if cpu_ratio is None else cpu_ratio <= 1.1)


def cost(d, res):
    per = {}
    for tool in ("convoy", "convoy-closed", "locust", "locust-max", "artillery"):
        vals, rates, counts = [], [], []
        for p in sorted(glob.glob(os.path.join(d, f"{tool}.*"))):
            pj = os.path.join(p, "proc.json")
            if not os.path.exists(pj):
                continue
            proc = load(pj)
            n = None
            if tool.startswith("convoy"):
                rj = os.path.join(p, "report", "run.json")
                if os.path.exists(rj):
                    n = load(rj)["counters"]["requests"]
            elif tool.startswith("locust"):
                st = os.path.join(p, "stats_stats.csv")
                if os.path.exists(st):
                    with open(st) as f:
                        for row in csv.DictReader(f):
                            if row["Name"] == "Aggregated":
                                n = int(row["Request Count"])
            else:
                rep = os.path.join(p, "report.json")
                if os.path.exists(rep):
                    n = load(rep)["aggregate"]["counters"].get("http.requests")
            if not n:
                print(f"  {tool} {p}: no request count (rc {proc['rc']})")
                continue
            v = proc["cpu_s"] / n * 10000
            print(f"  {os.path.basename(p)}: {n} requests in {proc['wall_s']:.1f}s "
                  f"({n / proc['wall_s']:.0f}/s), cpu {proc['cpu_s']:.2f}s "
                  f"(user {proc['user_s']:.2f} sys {proc['sys_s']:.2f}) -> {v:.2f} cpu-s/10k")
            vals.append(v)
            counts.append(n)
            rates.append(n / proc["wall_s"])
        per[tool] = median(vals)
        boot = os.path.join(d, f"startup-{tool}", "proc.json")
        if vals and os.path.exists(boot) and tool not in ("convoy-closed", "locust-max"):
            b = load(boot)["cpu_s"]
            corrected = median([(v * n_ / 10000 - b) / n_ * 10000 for v, n_ in zip(vals, counts)])
            res.add(f"{tool} cpu-s per 10k turns, minus start-up", round(corrected, 3), "", None,
                    f"start-up (tiny run) {b:.2f} cpu-s")
            per[tool + "-net"] = corrected
        if vals:
            res.add(f"{tool} cpu-s per 10k turns (median)", round(per[tool], 3), "", None,
                    f"runs {[round(x, 3) for x in vals]}, ~{median(rates):.0f} req/s")
    for suffix, label in (("", "whole process"), ("-net", "minus start-up")):
        c = per.get("convoy" + suffix)
        for other in ("locust", "artillery"):
            o = per.get(other + suffix)
            if c and o:
                res.add(f"convoy / {other} cpu, {label}", round(c / o, 4), "<= 0.1", c / o <= 0.1)
            elif not suffix:
                res.add(f"convoy / {other} cpu, {label}", "n/a", "<= 0.1", None, f"{other} not measured")
    # Each tool as fast as it goes (64 users/VUs back to back): the cost of a turn when
    # the load generator is busy, without the per-wake-up floor of a slow fixed rate.
    c, o = per.get("convoy-closed"), per.get("locust-max")
    if c and o:
        res.add("convoy / locust cpu, both at full speed (64 VUs / users)", round(c / o, 4),
                "<= 0.1", c / o <= 0.1)


def rss_at(samples, t):
    """The sample closest to t seconds."""
    if not samples:
        return None
    return min(samples, key=lambda s: abs(s[0] - t))


def memory(d, res, vus):
    vus = int(vus)
    proc = load(os.path.join(d, "proc.json"))
    _, r = run_rps(d)
    samples = proc["rss_kb"]
    steady = [s[1] for s in samples if 20 <= s[0] <= 60]
    peak = proc["rss_max_kb"]
    if r:
        print(f"  sessions started {r['load']['sessions_started']}, requests {r['counters']['requests']}, "
              f"errors {r['counters']['errors_by_class']}, elapsed {r['elapsed_us'] / 1e6:.1f}s")
    print("  RSS kB every 5 s: " + ", ".join(f"{s[0]:.0f}s:{s[1]}" for s in samples[::5]))
    res.add("convoy peak RSS (MB)", round(peak / 1024, 1), "", None, f"VmHWM {proc['hwm_kb']} kB")
    res.add(f"peak RSS per session ({vus} sessions), KB", round(peak / vus, 1), "< 64", peak / vus < 64)
    if steady:
        res.add("median RSS 20-60 s per session, KB", round(statistics.median(steady) / vus, 1), "< 64",
                statistics.median(steady) / vus < 64)


def soak(d, res, secs):
    secs = int(secs)
    proc = load(os.path.join(d, "proc.json"))
    s = proc["rss_kb"]
    one, last = rss_at(s, 60), s[-1] if s else None
    # The end of the load (before the grace and report writing).
    end = rss_at(s, secs)
    print("  RSS kB every 30 s: " + ", ".join(f"{x[0]:.0f}s:{x[1]}" for x in s[::30]))
    _, r = run_rps(d)
    if r:
        print(f"  requests {r['counters']['requests']}, elapsed {r['elapsed_us'] / 1e6:.1f}s, "
              f"run.json {os.path.getsize(os.path.join(d, 'report', 'run.json'))} bytes")
    if one and end:
        growth = (end[1] - one[1]) / one[1]
        res.add("RSS at 1 min (kB)", one[1], "", None, f"t={one[0]}s")
        res.add(f"RSS at {secs}s (kB)", end[1], "", None, f"t={end[0]}s")
        res.add(f"RSS growth 1 min -> {secs}s", f"{growth * 100:+.1f}%", "within 10%",
                abs(growth) <= 0.10, "10-minute target" if secs >= 600 else f"only {secs}s measured")


def accuracy(out, res):
    p50s, p99s, maxs = [], [], []
    for d in sorted(glob.glob(os.path.join(out, "accuracy.*"))):
        _, r = run_rps(d)
        if not r:
            continue
        s = op_summary(r["latency"]["operations"], "send")
        conc = r["load"]["sessions_started"]
        print(f"  {os.path.basename(d)}: send count {s['count']} p50 {s['p50_us']} p99 {s['p99_us']} "
              f"p99.9 {s['p999_us']} max {s['max_us']} us; errors {r['counters']['errors_by_class']}; "
              f"sessions {conc}")
        p50s.append(s["p50_us"]); p99s.append(s["p99_us"]); maxs.append(s["max_us"])
    ref = os.path.join(out, "accuracy-oha.json")
    if os.path.exists(ref):
        o = load(ref)
        m = o["metrics"]["latency_ms"]
        pct = o.get("latencyPercentiles", {})
        print(f"  oha reference: {o['summary']['requestsPerSec']:.0f} req/s, p50 {m['p50']} p99 "
              f"{m['p99']} max {m['max']} ms, codes {o.get('statusCodeDistribution')}")
        res.add("oha reference (same mock): p50 / p99 - 50 ms (us)",
                f"{(pct['p50'] * 1e6 - 50000):.0f} / {(pct['p99'] * 1e6 - 50000):.0f}",
                "(info)", None, "1000 connections, -q 500")
    p50, p99 = median(p50s), median(p99s)
    res.add("send p50 - 50 ms (us, median of runs)", None if p50 is None else p50 - 50000, "<= +1000",
            None if p50 is None else p50 - 50000 <= 1000, f"runs p50 {p50s}")
    res.add("send p99 - 50 ms (us, median of runs)", None if p99 is None else p99 - 50000, "<= +3000",
            None if p99 is None else p99 - 50000 <= 3000, f"runs p99 {p99s}")


def stall(out, res):
    for d in sorted(glob.glob(os.path.join(out, "stall-cap*"))):
        cap = os.path.basename(d)[len("stall-cap"):]
        _, r = run_rps(d)
        if not r:
            continue
        svc = op_summary(r["latency"]["operations"], "send")
        svc_c = op_summary(r["latency"]["operations"], "create")
        inten = op_summary(r["load"]["intended"], "send")
        inten_c = op_summary(r["load"]["intended"], "create")
        ms = load(os.path.join(d, "mock-stats.json"))
        print(f"  cap {cap}: sessions {r['load']['sessions_started']}, late {r['load']['late']}, dropped "
              f"{r['load']['dropped']}, start lag {r['load']['start_lag']}")
        print(f"  service  create {svc_c}\n  intended create {inten_c}\n  service  send {svc}\n  intended send {inten}")
        print(f"  mock faults {ms.get('faults')}")
        res.add(f"cap {cap}: intended-start create p99 (ms)", inten_c["p99_us"] / 1000, ">= 1000",
                inten_c["p99_us"] >= 1_000_000, f"max {inten_c['max_us'] / 1000:.0f} ms")
        res.add(f"cap {cap}: service-time create p99 (ms)", svc_c["p99_us"] / 1000, "< 1000 (no stall)",
                svc_c["p99_us"] < 1_000_000,
                f"max {svc_c['max_us'] / 1000:.0f} ms; {ms.get('faults', {}).get('stall', 0)} held of {svc_c['count']}")
        res.add(f"cap {cap}: service / intended send p99 (ms)",
                f"{svc['p99_us'] / 1000:.1f} / {inten['p99_us'] / 1000:.1f}", "(info)", None,
                "sends are scheduled from the previous answer")
        res.add(f"cap {cap}: late sessions", r["load"]["late"], "> 0", r["load"]["late"] > 0,
                f"start lag p50 {r['load']['start_lag']['p50_us'] / 1000:.0f} ms max "
                f"{r['load']['start_lag']['max_us'] / 1000:.0f} ms")


def streaming(out, res):
    for d in sorted(glob.glob(os.path.join(out, "streaming-*"))):
        if not os.path.isdir(d):
            continue
        fmtname = os.path.basename(d).split("-", 1)[1]
        _, r = run_rps(d)
        if not r:
            continue
        for op in ("create", "send"):
            t = op_summary(r["latency"]["ttfc"], op)
            g = op_summary(r["latency"].get("gaps") or r.get("load", {}).get("gaps", []), op)
            if t:
                res.add(f"{fmtname} {op} TTFC p50 - 200 ms (us)", t["p50_us"] - 200000, "<= +2000",
                        0 <= t["p50_us"] - 200000 <= 2000, f"p99 {t['p99_us']} n {t['count']}")
            if g:
                res.add(f"{fmtname} {op} gap p50 - 30 ms (us)", g["p50_us"] - 30000, "<= +2000",
                        0 <= g["p50_us"] - 30000 <= 2000, f"p99 {g['p99_us']} n {g['count']}")
        print(f"  {fmtname}: errors {r['counters']['errors_by_class']}, requests {r['counters']['requests']}")


# Which client class each injected fault must land in (docs/faults.md).
UNARY = {"http_429": "rate_limited", "http_500": "http_500", "http_503": "http_503",
         "http_504": "http_504", "reset": "reset", "truncated": "reset", "malformed_json": "decode"}
STREAMED = dict(UNARY, truncated="stream_incomplete", stream_cut="stream_incomplete",
                end_failure="stream_incomplete")


def faults(out, res):
    for mode, mapping in (("unary", UNARY), ("streamed", STREAMED)):
        d = os.path.join(out, f"faults-{mode}")
        if not os.path.isdir(d):
            continue
        _, r = run_rps(d)
        ms = load(os.path.join(d, "mock-stats.json"))
        tally = ms.get("faults", {})
        expected = {}
        for kind, n in tally.items():
            cls = mapping.get(kind)
            if cls:
                expected[cls] = expected.get(cls, 0) + n
        got = r["counters"]["errors_by_class"]
        api_total = sum(e["total"] for k, e in ms["endpoints"].items() if k not in ("stats",))
        print(f"  {mode}: mock tally {tally}")
        print(f"  {mode}: expected by class {expected}")
        print(f"  {mode}: convoy errors_by_class {got}; requests {r['counters']['requests']} vs mock API total {api_total}")
        for cls in sorted(set(expected) | set(got)):
            e, g = expected.get(cls, 0), got.get(cls, 0)
            res.add(f"{mode} {cls}: convoy vs mock", f"{g} vs {e}", "equal", g == e)
        res.add(f"{mode} requests: convoy vs mock", f"{r['counters']['requests']} vs {api_total}", "equal",
                r["counters"]["requests"] == api_total)
        files = ["run.json", "turns.csv", "latency.csv", "junit.xml", "summary.md"]
        missing = [f for f in files if not os.path.exists(os.path.join(d, "report", f))]
        res.add(f"{mode} reports complete", "missing " + ",".join(missing) if missing else "all 5 files",
                "all present", not missing)
        ec = tally.get("error_chunk", 0)
        res.add(f"{mode} error_chunk: convoy failed expectations vs mock", f"{r['counters']['failures']} vs {ec}",
                "equal", r["counters"]["failures"] == ec, "no error class: the turn fails its expectations")
        res.add(f"{mode} trickle injected", tally.get("trickle", 0), "(no error class)", None, "slow, not an error")


def size(out, res):
    best = None
    for rj in glob.glob(os.path.join(out, "**", "run.json"), recursive=True):
        r = load(rj)
        n = r["counters"]["requests"]
        if best is None or n > best[1]:
            best = (rj, n, os.path.getsize(rj), r["elapsed_us"] / 1e6)
    if best:
        rj, n, sz, el = best
        res.add("run.json bytes, longest run", sz, "< 5 MB", sz < 5 * 1024 * 1024,
                f"{n} requests, {el:.0f}s, {os.path.relpath(rj, out)}")


def table(out, path):
    if os.path.exists(os.path.join(out, "machine.txt")):
        print(open(os.path.join(out, "machine.txt")).read().strip())
    if not os.path.exists(path):
        print("no results yet"); return
    print(f"\n{'scenario':<11} {'figure':<46} {'value':>16}  {'target':<18} {'verdict':<7} note")
    with open(path) as f:
        for row in csv.reader(f, delimiter="\t"):
            row += [""] * (6 - len(row))
            print(f"{row[0]:<11} {row[1]:<46} {row[2]:>16}  {row[3]:<18} {row[4]:<7} {row[5]}")


def main():
    scen, where, results = sys.argv[1:4]
    rest = sys.argv[4:]
    if scen == "table":
        return table(where, results)
    res = Results(results, scen)
    print(f"-- {scen}")
    globals()[scen](where, res, *rest)
    res.save()


if __name__ == "__main__":
    main()
