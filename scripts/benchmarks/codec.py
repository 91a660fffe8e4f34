"""The codec section: criterion's msgpack decode/encode of a 1000-token state
(benches/codec.rs)."""

from __future__ import annotations

import json
import os
import subprocess

from .common import ROOT, fail, log


def bench_codec() -> dict:
    # The bench profile inherits release (fat LTO, codegen-units = 1). The codec lives in
    # the library itself, so fat LTO changes little for it (measured here: decode 2.29 ms
    # with it, 2.13 ms without; encode 0.86 / 0.83 ms) but its link of the bench binary
    # costs 1-2 minutes after every source change: it is turned off for this binary only.
    log("== criterion: cargo bench --bench codec -- --warm-up-time 1 --measurement-time 3 "
        "(CARGO_PROFILE_BENCH_LTO=false)")
    env = dict(os.environ, CARGO_PROFILE_BENCH_LTO="false")
    rc = subprocess.call(["cargo", "bench", "--bench", "codec", "--",
                          "--warm-up-time", "1", "--measurement-time", "3"], cwd=ROOT, env=env)
    if rc != 0:
        fail("cargo bench --bench codec failed")
    results = {}
    for operation in ("decode", "encode"):
        directory = ROOT / "target" / "criterion" / "msgpack_tokens_1000" / operation / "new"
        estimates = json.loads((directory / "estimates.json").read_text())
        benchmark = json.loads((directory / "benchmark.json").read_text())
        throughput = benchmark["throughput"]["ElementsAndBytes"]
        ns = estimates["median"]["point_estimate"]
        results[operation] = {
            "median_us": ns / 1000,
            "bytes": throughput["bytes"],
            "elements": throughput["elements"],
            "mb_per_s": throughput["bytes"] / ns * 1e9 / 1e6,
            "elements_per_s": throughput["elements"] / ns * 1e9,
        }
    return results
