"""A real `summarykit serve` on a free localhost port, for the service and browser tests.

The server runs in its own process through the console script, as an operator starts it; the
tests talk HTTP to it with the standard library only (urllib), so what they check is what any
client sees.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


@dataclass
class Served:
    url: str

    def request(self, method: str, path: str, body: bytes | None = None, content_type: str | None = None,
                headers: dict[str, str] | None = None, timeout: float = 120) -> Reply:
        request = urllib.request.Request(self.url + path, data=body, method=method, headers=dict(headers or {}))
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return Reply(response.status, {k.lower(): v for k, v in response.headers.items()}, response.read())
        except urllib.error.HTTPError as exc:
            return Reply(exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read())

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post(self, path: str, body: bytes | str, content_type: str = "application/yaml", **kw: Any) -> Reply:
        data = body.encode("utf-8") if isinstance(body, str) else body
        return self.request("POST", path, data, content_type, **kw)

    def post_json(self, path: str, data: Any) -> Reply:
        return self.post(path, json.dumps(data, ensure_ascii=False), "application/json")


@contextlib.contextmanager
def serve(**environment: str) -> Iterator[Served]:
    """Start `summarykit serve` with SUMMARYKIT_SERVE_* limits from ``environment``; stop it afterwards."""
    exe = shutil.which("summarykit", path=str(Path(sys.executable).parent)) or shutil.which("summarykit")
    assert exe, "the summarykit console script is not installed"
    port = free_port()
    env = {**os.environ, **{f"SUMMARYKIT_SERVE_{k.upper()}": v for k, v in environment.items()}}
    process = subprocess.Popen([exe, "-q", "serve", "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    served = Served(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if served.get("/health").status == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("summarykit serve did not start: "
                                   + (process.stderr.read().decode() if process.stderr else ""))
            time.sleep(0.1)
        yield served
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
