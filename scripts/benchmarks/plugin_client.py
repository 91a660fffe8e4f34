"""A minimal gRPC client for a Terraform provider plugin (HTTP/2 over (m)TLS on its
socket, with the client certificate Terraform would make), and the /proc and process
helpers of the start-up section (also used by the Terraform side)."""

from __future__ import annotations

import datetime
import os
import shutil
import signal
import socket
import ssl
import struct
import subprocess
from pathlib import Path

from .common import fail, log

RPC_TIMEOUT = 10.0


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
# Processes


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
