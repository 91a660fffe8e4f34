"""The report: the tables and targets printed at the end and written to
target/bench/results.md."""

from __future__ import annotations

import statistics

from .terraform import KIND_LABELS, PROVIDER_KINDS, REFERENCE_KINDS

# Targets from issues 6 and 14.
TARGET_STARTUP_RATIO = 1 / 3  # start-up time and VmRSS after the handshake, vs each Go provider
TARGET_SCHEMA_RSS_RATIO = 0.30  # VmRSS after GetProviderSchema, vs each Go provider
TARGET_NULL_RATIO = 1.0  # influxdb3 / null_resource, apply and plan at N >= 1000
TARGET_CALLS_1000 = 3  # API requests per plan refreshing 1000 tokens
TARGET_DATABASE_CALLS = 1  # API requests per plan refreshing N databases (issue 11)
TARGET_PEAK_RSS_KB = 50_000  # the provider's peak RSS during a plan of N = 5000


def mb(kb: float) -> str:
    return f"{kb / 1024:.1f} MB"


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def terraform_table(version: str, tf: dict) -> list[str]:
    """One row per N, command and kind: the provider's kinds with their ratios against
    each reference kind measured in the same run, then the references themselves."""
    refs = [k for k in REFERENCE_KINDS if any(k in entry for entry in tf.values())]
    lines = ["", f"### Terraform {version}: wall time, medians", "",
             "| N | command | resource | wall | CPU | "
             + "".join(f"vs {k} | " for k in refs)
             + "provider peak RSS | runs | API requests |",
             "|---:|---|---|---:|---:|" + "---:|" * len(refs) + "---:|---:|---|"]
    for count, entry in tf.items():
        for command in ("apply", "plan"):
            for kind in (k for k in (*PROVIDER_KINDS, *refs) if k in entry):
                e = entry[kind]
                wall = e[f"{command}_median_s"]
                ratios = "".join(
                    f"{wall / entry[r][f'{command}_median_s']:.2f}x | "
                    if kind in PROVIDER_KINDS and r in entry else "- | " for r in refs)
                if kind not in PROVIDER_KINDS:
                    calls, peak = "-", "-"
                elif command == "apply":
                    calls = f"{statistics.median(e['apply_calls']):.0f} in all"
                    peak = "-"
                else:
                    ops = ", ".join(f"{k} {v}" for k, v in e["plan_by_operation"].items())
                    calls = f"{max(e['plan_requests'])} per plan ({ops or 'none'})"
                    peak = mb(max(e.get("plan_peak_rss_kb") or [0]))
                lines.append(f"| {count} | {command} | {KIND_LABELS[kind]} | {wall:.2f} s | "
                             f"{e[f'{command}_cpu_median_s']:.2f} s | {ratios}{peak} | "
                             f"{len(e[f'{command}_s'])} | {calls} |")
    for count, entry in tf.items():
        if int(count) >= 1000:
            sizes_line = ", ".join(f"{k} {entry[k]['state_bytes'] / int(count):.0f} B"
                                   for k in entry)
            lines += ["", f"State file per resource instance at N={count}: {sizes_line}."]
    return lines


def terraform_targets(version: str, tf: dict) -> list[str]:
    lines = []
    for count, entry in tf.items():
        if int(count) < 1000:
            continue
        for kind in (k for k in PROVIDER_KINDS if k in entry):
            e = entry[kind]
            for command in ("apply", "plan"):
                for ref in ("null_resource", "null_token_sized"):
                    if ref not in entry:
                        continue
                    ratio = e[f"{command}_median_s"] / entry[ref][f"{command}_median_s"]
                    cpu = e[f"{command}_cpu_median_s"] / entry[ref][f"{command}_cpu_median_s"]
                    lines.append(f"- Terraform {version} {command} of {kind}, N={count}, <= "
                                 f"{TARGET_NULL_RATIO}x of {KIND_LABELS[ref]}: {ratio:.2f}x "
                                 f"(CPU {cpu:.2f}x): {verdict(ratio <= TARGET_NULL_RATIO)}")
            peak = max(e.get("plan_peak_rss_kb") or [0])
            if int(count) >= 5000 and peak:
                lines.append(f"- Terraform {version}: the provider's peak RSS during a plan of "
                             f"N={count} {kind} under {mb(TARGET_PEAK_RSS_KB)}: {mb(peak)}: "
                             f"{verdict(peak < TARGET_PEAK_RSS_KB)}")
            calls = max(e["plan_requests"])
            lines.append(f"- Terraform {version}: API requests per plan refreshing {count} "
                         f"{kind} <= {TARGET_CALLS_1000}: {calls}: "
                         f"{verdict(calls <= TARGET_CALLS_1000)}")
    return lines


def report(results: dict) -> str:
    lines = []
    m = results["machine"]
    lines.append(f"Machine: {m['nproc']} cores, {m['cpu_model']}, {m['mem_total_gib']} GiB RAM, "
                 f"Linux {m['kernel']}, {m['rustc']}, {m['date']}; 1-min load average "
                 f"{m['loadavg_start']:.1f} at the start, {m.get('loadavg_end', 0):.1f} at the "
                 f"end; took {results.get('elapsed_s', 0)} s")
    sizes = results.get("size")
    if sizes:
        lines += ["", "### Binary size", "",
                  "| binary | as shipped | stripped | gzip -6 | vs null | vs workato |",
                  "|---|---:|---:|---:|---:|---:|"]
        for name, s in sizes.items():
            stripped = s.get("stripped_bytes", s["bytes"])
            lines.append(
                f"| {name} | {s['bytes'] / 1e6:.1f} MB | {stripped / 1e6:.1f} MB | "
                f"{s['gzip_bytes'] / 1e6:.1f} MB | {s['bytes'] / sizes['null']['bytes']:.2f}x | "
                f"{s['bytes'] / sizes['workato']['bytes']:.2f}x |")
    startup = results.get("startup")
    if startup:
        runs = startup["influxdb3/tls"]["runs"]
        lines += ["", f"### Start-up (medians of {runs} interleaved runs)", "",
                  "| mode | metric | influxdb3 (Rust) | null (Go) | workato (Go) | "
                  "ratio vs null | ratio vs workato | target (0.33x; 0.30x after the schema) |",
                  "|---|---|---:|---:|---:|---:|---:|---|"]
        metrics = [("handshake_ms", "exec -> handshake line", lambda v: f"{v:.1f} ms", True),
                   ("handshake_cpu_ms", "its CPU time (all threads)", lambda v: f"{v:.1f} ms",
                    False),
                   ("handshake_runqueue_ms", "its run-queue wait", lambda v: f"{v:.1f} ms",
                    False),
                   ("rss_handshake_kb", "VmRSS after handshake", mb, True),
                   ("rss_schema_kb", "VmRSS after GetProviderSchema", mb, True),
                   ("anon_schema_kb", "of which RssAnon (private)", mb, False),
                   ("file_schema_kb", "of which RssFile (binary, libs)", mb, False),
                   ("pss_schema_kb", "Pss after GetProviderSchema", mb, False),
                   ("schema_call_ms", "connect + GetProviderSchema", lambda v: f"{v:.1f} ms",
                    False)]
        for mode, label in (("tls", "mTLS"), ("plain", "no TLS")):
            for key, title, fmt, is_target in metrics:
                rust = startup[f"influxdb3/{mode}"][key]
                null = startup[f"null/{mode}"][key]
                wk = startup[f"workato/{mode}"][key]
                r1, r2 = rust / null, rust / wk
                limit = (TARGET_SCHEMA_RSS_RATIO if key == "rss_schema_kb"
                         else TARGET_STARTUP_RATIO)
                target = verdict(max(r1, r2) <= limit) if is_target else "-"
                lines.append(f"| {label} | {title} | {fmt(rust)} | {fmt(null)} | {fmt(wk)} | "
                             f"{r1:.2f}x | {r2:.2f}x | {target} |")
    for version, tf in results.get("terraform", {}).items():
        lines += terraform_table(version, tf)
    for version, rpc in results.get("rpcs", {}).items():
        count = rpc["count"]
        lines += ["", f"### Terraform {version}: calls per RPC and the provider's time in them, "
                  f"N={count} (one run, provider trace log on)", "",
                  "| command | RPC | calls | provider time in all | median per call | "
                  "slowest call |", "|---|---|---:|---:|---:|---:|"]
        for command in ("apply", "plan"):
            c = rpc[command]
            for name, r in c["rpcs"].items():
                if name == "ResourceIdentity":  # guarded inside Plan/Apply/Read/Import
                    name = "(identity of a state, inside the RPCs above)"
                lines.append(f"| {command} | {name} | {r['calls']} | {r['total_ms']:.0f} ms | "
                             f"{r['median_us']:.0f} µs | {r['max_us'] / 1000:.1f} ms |")
            lines.append(f"| {command} | (whole command, wall; {c['provider_processes']} "
                         f"provider processes) | | {c['wall_s'] * 1000:.0f} ms | | |")
    for version, d in results.get("databases", {}).items():
        ops = ", ".join(f"{k} {v}" for k, v in d["plan_by_operation"].items())
        lines += ["", f"### Terraform {version}: databases", "",
                  f"Refreshing {d['count']} `influxdb3_database`: {d['plan_requests']} API "
                  f"request(s) per plan ({ops or 'none'}); apply (create) {d['apply_s']:.2f} s, "
                  f"plan {d['plan_s']:.2f} s (one run each)."]
    codec = results.get("codec")
    if codec:
        lines += ["", "### msgpack codec, 1000-token data source state (criterion median)", "",
                  "| operation | state size | time | MB/s | elements/s |",
                  "|---|---:|---:|---:|---:|"]
        for operation, c in codec.items():
            lines.append(f"| {operation} | {c['bytes'] / 1000:.1f} kB | {c['median_us']:.0f} µs | "
                         f"{c['mb_per_s']:.0f} | {c['elements_per_s'] / 1e3:.0f} k |")
    lines += ["", "### Targets", ""]
    if startup:
        worst_t = max(startup[f"influxdb3/{m}"]["handshake_ms"] /
                      startup[f"{g}/{m}"]["handshake_ms"]
                      for m in ("tls", "plain") for g in ("null", "workato"))
        worst_m = max(startup[f"influxdb3/{m}"]["rss_handshake_kb"]
                      / startup[f"{g}/{m}"]["rss_handshake_kb"]
                      for m in ("tls", "plain") for g in ("null", "workato"))
        worst_s = {m: max(startup[f"influxdb3/{m}"]["rss_schema_kb"]
                          / startup[f"{g}/{m}"]["rss_schema_kb"] for g in ("null", "workato"))
                   for m in ("tls", "plain")}
        lines.append(f"- start-up time <= 1/3 of each Go provider: worst ratio {worst_t:.2f}x: "
                     f"{verdict(worst_t <= TARGET_STARTUP_RATIO)}")
        lines.append(f"- VmRSS after the handshake <= 1/3 of each Go provider: worst ratio "
                     f"{worst_m:.2f}x: {verdict(worst_m <= TARGET_STARTUP_RATIO)}")
        for m, label in (("tls", "with mTLS"), ("plain", "without TLS")):
            lines.append(f"- VmRSS after GetProviderSchema ({label}) <= {TARGET_SCHEMA_RSS_RATIO}x"
                         f" of each Go provider: worst ratio {worst_s[m]:.2f}x: "
                         f"{verdict(worst_s[m] <= TARGET_SCHEMA_RSS_RATIO)}")
    for version, tf in results.get("terraform", {}).items():
        lines += terraform_targets(version, tf)
    for version, d in results.get("databases", {}).items():
        lines.append(f"- Terraform {version}: API requests per plan refreshing {d['count']} "
                     f"databases <= {TARGET_DATABASE_CALLS}: {d['plan_requests']}: "
                     f"{verdict(d['plan_requests'] <= TARGET_DATABASE_CALLS)}")
    for version, e in results.get("terraform_database_tokens", {}).items():
        calls = e["plan_requests"]
        lines.append(f"- Terraform {version}: API requests per plan refreshing {e['count']} "
                     f"database tokens <= {TARGET_CALLS_1000}: {calls} "
                     f"({e['plan_by_operation']}): {verdict(calls <= TARGET_CALLS_1000)}")
    return "\n".join(lines) + "\n"
