"""The rpcs section: calls per RPC in one apply and one plan, and the provider's time
in them, from its trace log."""

from __future__ import annotations

import re
import statistics
from pathlib import Path

from .common import log
from .terraform import Workdir, run_terraform

RPC_LINE = re.compile(r"rpc (\w+) handled in (\d+) µs")


def bench_rpcs(cli: Path, version: str, count: int, base: Path) -> dict:
    """One apply (create N) and one plan (refresh N) of influxdb3 with the provider's
    trace log (TF_LOG_PROVIDER=trace): how many calls of each RPC Terraform made, and the
    provider's time inside each (from handler entry to its answer, waits included)."""
    log(f"== terraform {version}: per-RPC breakdown of apply and plan, N={count}")
    wd = Workdir(base / f"rpc-{version}", cli, "influxdb3_management_token", count)
    results = {}
    try:
        wd.fresh()
        for command, args in (("apply", ["apply", "-input=false", "-auto-approve"]),
                              ("plan", ["plan", "-input=false", "-refresh=true",
                                        "-detailed-exitcode"])):
            trace = wd.root / f"{command}-trace.log"
            trace.unlink(missing_ok=True)
            extra = dict(wd.env(), TF_LOG_PROVIDER="trace", TF_LOG_PATH=str(trace))
            seconds, code, _ = run_terraform(cli, wd.root, args, extra, f"{command}-rpc.log")
            if code != 0:
                raise RuntimeError(f"terraform {command} exited {code}; see {wd.root}")
            rpcs: dict[str, list[int]] = {}
            processes = 0
            with open(trace, errors="replace") as lines:
                for line in lines:
                    found = RPC_LINE.search(line)
                    if found:
                        rpcs.setdefault(found.group(1), []).append(int(found.group(2)))
                    elif "plugin started" in line and "terraform-provider-influxdb3" in line:
                        processes += 1
            results[command] = {
                "wall_s": seconds,
                "provider_processes": processes,
                "rpcs": {name: {"calls": len(times), "total_ms": sum(times) / 1000,
                                "median_us": statistics.median(times),
                                "max_us": max(times)}
                         for name, times in sorted(rpcs.items())},
            }
    finally:
        wd.stop()
    return results
