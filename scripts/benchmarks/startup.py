"""The startup section: exec -> handshake line, VmRSS after it and after
GetProviderSchema, with and without mTLS, medians of interleaved runs."""

from __future__ import annotations

import base64
import os
import select
import statistics
import subprocess
import time
from pathlib import Path

from .common import log
from .plugin_client import (H2, client_certificate, count_map_entries, proc_status, sched_ms,
                            stop_process)

MAGIC_COOKIE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
SCHEMA_METHOD = {5: "/tfplugin5.Provider/GetSchema", 6: "/tfplugin6.Provider/GetProviderSchema"}
SHUTDOWN_METHOD = "/plugin.GRPCController/Shutdown"

STARTUP_TIMEOUT = 10.0  # seconds for a provider to print its handshake line


def start_once(binary: Path, protocol: int, tls: bool, cert_pem: str, cert: Path, key: Path,
               tmpdir: Path) -> dict:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TMPDIR": str(tmpdir),
        "TF_PLUGIN_MAGIC_COOKIE": MAGIC_COOKIE,
        "PLUGIN_PROTOCOL_VERSIONS": "5,6",
        "PLUGIN_MIN_PORT": "10000",
        "PLUGIN_MAX_PORT": "25000",
    }
    if tls:
        env["PLUGIN_CLIENT_CERT"] = cert_pem
    with open(tmpdir / "stderr.log", "ab") as stderr:
        started = time.perf_counter()
        proc = subprocess.Popen([str(binary)], env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=stderr, cwd=tmpdir)
    try:
        line = b""
        fd = proc.stdout.fileno()
        deadline = started + STARTUP_TIMEOUT
        while not line.endswith(b"\n"):
            remaining = deadline - time.perf_counter()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise RuntimeError(f"{binary.name}: no handshake line in {STARTUP_TIMEOUT} s")
            chunk = os.read(fd, 4096)
            if not chunk:
                raise RuntimeError(f"{binary.name} exited before its handshake line")
            line += chunk
        handshake_ms = (time.perf_counter() - started) * 1000
        after_handshake = proc_status(proc.pid)
        cpu_ms, runqueue_ms = sched_ms(proc.pid)
        fields = line.decode().strip().split("|")
        if len(fields) < 5 or fields[1] != str(protocol):
            raise RuntimeError(f"{binary.name}: unexpected handshake line {line[:120]!r}")
        der = None
        if len(fields) > 5 and fields[5]:
            text = fields[5]
            der = base64.b64decode(text + "=" * (-len(text) % 4))
        if tls and der is None:
            raise RuntimeError(f"{binary.name}: PLUGIN_CLIENT_CERT set but no server cert")
        rpc_started = time.perf_counter()
        client = H2(fields[2], fields[3], der, cert if tls else None, key if tls else None)
        schema = client.call(SCHEMA_METHOD[protocol])
        schema_ms = (time.perf_counter() - rpc_started) * 1000
        after_schema = proc_status(proc.pid)
        resources = count_map_entries(schema, 2)
        try:
            client.call(SHUTDOWN_METHOD)
        except (RuntimeError, OSError):
            pass  # older go-plugin: no controller; SIGTERM below
        client.close()
        try:
            proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            pass
        return {
            "handshake_ms": handshake_ms,
            "handshake_cpu_ms": cpu_ms,
            "handshake_runqueue_ms": runqueue_ms,
            "rss_handshake_kb": after_handshake["VmRSS"],
            "rss_schema_kb": after_schema["VmRSS"],
            "hwm_schema_kb": after_schema["VmHWM"],
            "anon_handshake_kb": after_handshake.get("RssAnon", 0),
            "anon_schema_kb": after_schema.get("RssAnon", 0),
            "file_schema_kb": after_schema.get("RssFile", 0),
            "pss_schema_kb": after_schema.get("Pss", 0),
            "schema_call_ms": schema_ms,
            "schema_bytes": len(schema),
            "resource_types": resources,
        }
    finally:
        if proc.stdout:
            proc.stdout.close()
        stop_process(proc)


def bench_startup(binaries: dict[str, tuple[Path, int]], runs: int, workdir: Path) -> dict:
    log(f"== start-up: {runs} interleaved runs of each provider, with and without mTLS")
    cert_pem, cert, key = client_certificate(workdir)
    variants = [(name, tls) for name in binaries for tls in (True, False)]
    samples: dict[str, list[dict]] = {f"{n}/{'tls' if t else 'plain'}": [] for n, t in variants}
    for round_index in range(runs):
        shift = round_index % len(variants)
        for name, tls in variants[shift:] + variants[:shift]:
            binary, protocol = binaries[name]
            tmpdir = workdir / f"tmp-{name}"
            tmpdir.mkdir(exist_ok=True)
            result = start_once(binary, protocol, tls, cert_pem, cert, key, tmpdir)
            samples[f"{name}/{'tls' if tls else 'plain'}"].append(result)
        if (round_index + 1) % 5 == 0:
            log(f"   {round_index + 1}/{runs} rounds")
    summary = {}
    for variant, results in samples.items():
        summary[variant] = {
            key: statistics.median(r[key] for r in results) for key in results[0]
        }
        summary[variant]["runs"] = len(results)
        summary[variant]["handshake_ms_min"] = min(r["handshake_ms"] for r in results)
        summary[variant]["handshake_ms_max"] = max(r["handshake_ms"] for r in results)
    return summary
