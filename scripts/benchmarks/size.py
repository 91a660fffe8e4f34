"""The size section: binary sizes as shipped, stripped and deflated."""

from __future__ import annotations

import gzip
import shutil
import subprocess
from pathlib import Path

from .common import log


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
