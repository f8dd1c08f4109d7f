#!/usr/bin/env python3
"""Helpers for run.sh: writes suites, reads edgeprobe's JSON results, times cold
starts, and prints the benchmark table. Standard library only."""
import json
import statistics
import subprocess
import sys
import time


def write_suite(path, probe, target, count, timeout, extra=None):
    """`{i}` in the target becomes the check's number (distinct names)."""
    checks = []
    for i in range(count):
        check = {"name": f"{probe} {i}", "probe": probe, "target": target.replace("{i}", str(i))}
        if extra:
            check.update(extra)
        checks.append(check)
    with open(path, "w") as f:
        json.dump({"suite": f"bench-{probe}", "defaults": {"timeout": timeout}, "checks": checks}, f)


def load_results(path):
    with open(path) as f:
        return json.load(f)["results"]


def pct(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * p / 100.0
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def count_status(path):
    results = load_results(path)
    passed = sum(1 for r in results if r["status"] == "pass")
    print(f"{passed} {len(results)}")


def accuracy(path, out):
    """connect_ms (edgeprobe's clock, SYN sent .. connect completion seen by the
    coroutine) and handshake_ms (what edgeprobe reports and judges
    max_connect_ms on) against tcpi_rtt (the kernel's RTT sample from the
    handshake)."""
    diffs, ratios, connects, rtts, handshakes, handshake_diffs = [], [], [], [], [], []
    for r in load_results(path):
        for a in r.get("addresses", []):
            d = a.get("details", {})
            if "connect_ms" not in d or "tcp_info" not in d or r["status"] != "pass":
                continue
            c, rtt = d["connect_ms"], d["tcp_info"]["rtt_ms"]
            connects.append(c)
            rtts.append(rtt)
            if "handshake_ms" in d:
                handshakes.append(d["handshake_ms"])
                handshake_diffs.append(abs(d["handshake_ms"] - rtt))
            diffs.append(c - rtt)
            if rtt > 0:
                ratios.append(c / rtt)
    res = {
        "n": len(diffs),
        "connect_ms": [pct(connects, p) for p in (50, 90, 99, 100)],
        "rtt_ms": [pct(rtts, p) for p in (50, 90, 99, 100)],
        "handshake_n": len(handshakes),
        "handshake_ms": [pct(handshakes, p) for p in (50, 90, 99, 100)],
        "handshake_diff_max": max(handshake_diffs) if handshake_diffs else float("nan"),
        "diff_ms": [min(diffs) if diffs else float("nan")] + [pct(diffs, p) for p in (50, 90, 99, 100)],
        "ratio": [pct(ratios, p) for p in (50, 90, 99)],
    }
    with open(out, "w") as f:
        json.dump(res, f)


def burst(path, label, phase, drops, concurrency):
    """One JSON line: statuses, the named phase's wall time, the network's part
    where the kernel measured it, edgeprobe's lag, and the client's UDP drops."""
    results = load_results(path)
    statuses = {}
    for r in results:
        statuses[r["status"]] = statuses.get(r["status"], 0) + 1
    phases = [p for r in results for p in r["phases"] if p["name"] == phase]
    wall = [p["duration_ms"] for p in phases]
    network = [p["network_ms"] for p in phases if "network_ms" in p]
    lag = [r.get("lag_ms", 0) for r in results]
    durations = [r["duration_ms"] for r in results]
    q = lambda v: [pct(v, p) for p in (50, 90, 99, 100)]
    print(json.dumps({"kind": "burst", "name": label, "phase": phase, "checks": len(results),
                      "concurrency": int(concurrency), "statuses": statuses, "rcvbuf_errors": int(drops),
                      "wall": q(wall), "network": q(network), "network_n": len(network), "lag": q(lag),
                      "duration_max": max(durations) if durations else float("nan")}))


def deadline(path, out, lo, hi):
    results = load_results(path)
    durations = [r["duration_ms"] for r in results]
    reasons = {}
    for r in results:
        reasons[r.get("reason")] = reasons.get(r.get("reason"), 0) + 1
    outside = sum(1 for d in durations if d < lo or d > hi)
    res = {"n": len(durations), "min": min(durations), "max": max(durations),
           "p50": pct(durations, 50), "p99": pct(durations, 99), "outside": outside,
           "reasons": reasons}
    with open(out, "w") as f:
        json.dump(res, f)


def cold_start(runs, out, a_cmd, b_cmd):
    """Alternates the two commands so that load changes hit both alike."""
    times = {"a": [], "b": []}
    for _ in range(runs):
        for key, cmd in (("a", a_cmd), ("b", b_cmd)):
            t0 = time.perf_counter()
            subprocess.run(cmd, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[key].append((time.perf_counter() - t0) * 1000.0)
    res = {k: {"median": statistics.median(v), "p10": pct(v, 10), "p90": pct(v, 90), "n": len(v)}
           for k, v in times.items()}
    with open(out, "w") as f:
        json.dump(res, f)


def table(results_path):
    """results: one JSON object per line, {"kind": ..., ...}."""
    rows = [json.loads(line) for line in open(results_path) if line.strip()]
    by = {}
    for r in rows:
        by.setdefault(r["kind"], []).append(r)
    meta = by.get("meta", [{}])[0]
    print(f"edgeprobe benchmark — {meta.get('date', '?')} — {meta.get('machine', '?')}")
    print(f"load average before: {meta.get('load_before', '?')}, after: {meta.get('load_after', '?')}")
    print()

    def med(rs, key):
        return statistics.median(r[key] for r in rs)

    tcp = [r for r in rows if r["kind"] == "tcp"]
    if tcp:
        names = []
        for r in tcp:
            if r["name"] not in names:
                names.append(r["name"])
        agg = {}
        for n in names:
            rs = [r for r in tcp if r["name"] == n]
            agg[n] = {
                "checks": rs[0]["checks"], "ok": min(r["ok"] for r in rs), "reps": len(rs),
                "cpu_us": med([{"v": (r["user"] + r["sys"]) / r["checks"] * 1e6} for r in rs], "v"),
                "wall": med(rs, "wall"), "rss": max(r["rss_kb"] for r in rs) / 1024.0,
                "note": rs[0].get("note", ""),
            }
        floor = agg.get("epoll floor (C)")
        ctcp = agg.get("check_tcp (xargs -P)")
        bbx = agg.get("blackbox_exporter (exporter only)")
        c = tcp[0]
        print(f"TCP checks: {c['checks']} per run, concurrency {c['concurrency']}, median of "
              f"{agg[names[0]]['reps']} runs (CPU = user+sys incl. children)")
        hdr = (f"{'contender':36} {'ok':>6} {'CPU µs/check':>13} {'×floor':>7} {'×check_tcp':>10} "
               f"{'×blackbox':>9} {'wall s':>7} {'wall ×floor':>11} {'peak RSS MB':>11}")
        print(hdr)
        print("-" * len(hdr))
        for n in names:
            a = agg[n]
            rf = a["cpu_us"] / floor["cpu_us"] if floor else float("nan")
            rc = a["cpu_us"] / ctcp["cpu_us"] if ctcp and ctcp["cpu_us"] else float("nan")
            rb = a["cpu_us"] / bbx["cpu_us"] if bbx and bbx["cpu_us"] else float("nan")
            wf = a["wall"] / floor["wall"] if floor else float("nan")
            print(f"{n:36} {a['ok']:>6} {a['cpu_us']:>13.1f} {rf:>7.2f} {rc:>10.3f} {rb:>9.3f} "
                  f"{a['wall']:>7.2f} {wf:>11.2f} {a['rss']:>11.1f}")
        for n in names:
            if agg[n]["note"]:
                print(f"  {n}: {agg[n]['note']}")
        ep = agg.get("edgeprobe run")
        if ep and floor:
            ratio = ep["cpu_us"] / floor["cpu_us"]
            wall = ep["wall"] / floor["wall"]
            print(f"target CPU/check ≤ 2× floor: {ratio:.2f}× → {'MET' if ratio <= 2 else 'NOT MET'}")
            print(f"target wall ≤ 1.5× floor: {wall:.2f}× → {'MET' if wall <= 1.5 else 'NOT MET'}")
            print(f"target peak RSS ≤ 64 MB: {ep['rss']:.1f} MB → {'MET' if ep['rss'] <= 64 else 'NOT MET'}")
            evidence = agg.get("epoll floor + evidence (C)")
            if evidence:  # context, not a target: what the same system calls cost without edgeprobe
                print(f"against the floor with the same evidence: CPU {ep['cpu_us'] / evidence['cpu_us']:.2f}×, "
                      f"wall {ep['wall'] / evidence['wall']:.2f}×")
        print()

    for r in by.get("accuracy", []):
        print(f"Timing accuracy: {r['n']} checks at concurrency {r['concurrency']} "
              f"(connect_ms reported by edgeprobe vs the kernel's tcpi_rtt of the same socket)")
        print("  connect_ms  p50/p90/p99/max: " + " / ".join(f"{v:.3f}" for v in r["connect_ms"]))
        print("  tcpi_rtt ms p50/p90/p99/max: " + " / ".join(f"{v:.3f}" for v in r["rtt_ms"]))
        if r.get("handshake_n"):
            print(f"  handshake_ms p50/p90/p99/max ({r['handshake_n']} with one SYN): " +
                  " / ".join(f"{v:.3f}" for v in r["handshake_ms"]) +
                  f"; largest |handshake_ms - tcpi_rtt| {r['handshake_diff_max']:.3f}")
        print("  connect−rtt ms min/p50/p90/p99/max: " + " / ".join(f"{v:.3f}" for v in r["diff_ms"]))
        print("  connect/rtt p50/p90/p99: " + " / ".join(f"{v:.2f}" for v in r["ratio"]))
        print()
    for r in by.get("deadline", []):
        print(f"Deadline precision: {r['n']} checks to a blackholed address, timeout 1 s, "
              f"concurrency {r['concurrency']}")
        print(f"  duration_ms min {r['min']:.1f}, p50 {r['p50']:.1f}, p99 {r['p99']:.1f}, max {r['max']:.1f}; "
              f"outside [1000, 1050]: {r['outside']} → {'MET' if r['outside'] == 0 else 'NOT MET'}; "
              f"reasons {r['reasons']}; run wall {r['wall']:.2f} s")
        print()
    for r in by.get("cold", []):
        a, b = r["edgeprobe"], r["check_tcp"]
        print(f"Cold start (one check, wall ms, {a['n']} runs each, alternated):")
        print(f"  edgeprobe check tcp: median {a['median']:.2f} (p10 {a['p10']:.2f}, p90 {a['p90']:.2f})")
        print(f"  check_tcp:           median {b['median']:.2f} (p10 {b['p10']:.2f}, p90 {b['p90']:.2f})")
        print(f"  ratio edgeprobe/check_tcp: {a['median'] / b['median']:.2f}")
        print()
    bursts = by.get("burst", [])
    if bursts:
        print(f"Bursts at concurrency {bursts[0]['concurrency']}: the phase's wall time, the network's part "
              f"(kernel stamps), edgeprobe's lag per check, ms p50/p90/p99/max; UDP receive-buffer drops "
              f"counted in the client namespace")
        for r in bursts:
            f = lambda v: " / ".join(f"{x:.2f}" for x in v)
            print(f"  {r['name']}: {r['statuses']}, longest check {r['duration_max']:.1f} ms, "
                  f"UdpRcvbufErrors +{r['rcvbuf_errors']}")
            print(f"    {r['phase']} wall {f(r['wall'])}; network ({r['network_n']} stamped) {f(r['network'])}; "
                  f"lag {f(r['lag'])}")
            if r["phase"] == "dns" and r["wall"][0] > 0:
                ok = r["rcvbuf_errors"] == 0 and r["duration_max"] <= 100 and r["wall"][2] <= 3 * r["wall"][0]
                print(f"    target: 0 drops, no check > 100 ms, dns p99 ≤ 3× p50 → {'MET' if ok else 'NOT MET'}")
        print()
    dns = by.get("dns", [])
    if dns:
        base = next((r for r in dns if r["name"].startswith("c-ares")), None)
        print("DNS against unbound (A record from local-data), CPU = user+sys of the client")
        hdr = f"{'contender':36} {'queries':>8} {'ok':>8} {'q/s':>9} {'CPU µs/query':>13} {'×c-ares':>8} {'peak RSS MB':>11}"
        print(hdr)
        print("-" * len(hdr))
        for r in dns:
            cpu = (r["user"] + r["sys"]) / r["checks"] * 1e6
            bcpu = (base["user"] + base["sys"]) / base["checks"] * 1e6 if base else float("nan")
            print(f"{r['name']:36} {r['checks']:>8} {r['ok']:>8} {r['checks'] / r['wall']:>9.0f} "
                  f"{cpu:>13.1f} {cpu / bcpu:>8.2f} {r['rss_kb'] / 1024.0:>11.1f}")
        print()


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "suite":
        extra = json.loads(args[5]) if len(args) > 5 else None
        write_suite(args[0], args[1], args[2], int(args[3]), args[4], extra)
    elif cmd == "count":
        count_status(args[0])
    elif cmd == "accuracy":
        accuracy(args[0], args[1])
    elif cmd == "burst":
        burst(args[0], args[1], args[2], args[3], args[4])
    elif cmd == "deadline":
        deadline(args[0], args[1], float(args[2]), float(args[3]))
    elif cmd == "cold":
        cold_start(int(args[0]), args[1], args[2], args[3])
    elif cmd == "table":
        table(args[0])
    else:
        sys.exit(f"unknown command {cmd}")
