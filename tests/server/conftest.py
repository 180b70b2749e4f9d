"""Real services for the tests: ``paycalc serve`` started as a process on a loopback port.

Each fixture starts its own uvicorn process (``python -m paycalc serve``) on a free port of
127.0.0.1, waits for ``/healthz``, and stops the process it started when the tests end.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
httpx = pytest.importorskip("httpx")

from tests.conftest import ROOT  # noqa: E402


@dataclass(frozen=True)
class Service:
    url: str
    log: Path

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_service(
    *arguments: str, module: tuple[str, ...] = ("paycalc", "serve"), health: str = "/healthz"
) -> Iterator[Service]:
    """Start a service process, yield it once it answers, then stop it."""
    for _attempt in range(3):  # another process may take the free port before we bind it
        port = _free_port()
        log = Path(tempfile.mkstemp(prefix="paycalc-serve-", suffix=".log")[1])
        command = [sys.executable, "-m", *module, "--host", "127.0.0.1", "--port", str(port)]
        with log.open("wb") as sink:
            process = subprocess.Popen(
                [*command, *arguments],
                cwd=ROOT,
                stdout=sink,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if httpx.get(f"{url}{health}", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        if process.poll() is None:
            try:
                yield Service(url, log)
            finally:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
                log.unlink(missing_ok=True)
            return
        log.unlink(missing_ok=True)
    raise RuntimeError(f"the service did not start: {' '.join(command)}")


@pytest.fixture(scope="session")
def service() -> Iterator[Service]:
    """The service as deployed by default: bundled schemes, default limits."""
    yield from start_service()


@pytest.fixture(scope="session")
def client(service: Service) -> Iterator[httpx.Client]:
    with service.client() as session:
        yield session
