"""The S3 sandbox of the object-storage tests: moto's S3 server and the SigV4 gate, real processes."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ACCESS_KEY, SECRET_KEY, BUCKET = "XUESHITESTKEY", "xueshi-test-secret", "xueshi-media"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the S3 sandbox process exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


@dataclass(frozen=True)
class Store:
    """Where the sandbox listens: ``endpoint`` (the gate, what Django and browsers use), ``direct`` (moto)."""

    endpoint: str
    direct: str

    def client(self, direct: bool = False) -> Any:
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.direct if direct else self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name="us-east-1",
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
        )

    def storage_options(self) -> dict[str, Any]:
        """django-storages' S3 backend pointed at the gate, as tutor-minio configures it."""
        return {
            "bucket_name": BUCKET,
            "endpoint_url": self.endpoint,
            "access_key": ACCESS_KEY,
            "secret_key": SECRET_KEY,
            "region_name": "us-east-1",
            "signature_version": "s3v4",
            "addressing_style": "path",
            "querystring_auth": True,
            "default_acl": None,
        }

    def upload_tree(self, root: Path, prefix: str) -> int:
        """Put every file under ``root`` into the bucket under ``prefix``; return how many."""
        s3, count = self.client(direct=True), 0
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            key = f"{prefix}/{path.relative_to(root).as_posix()}"
            s3.put_object(Bucket=BUCKET, Key=key, Body=path.read_bytes())
            count += 1
        return count


@contextmanager
def s3_sandbox() -> Iterator[Store]:
    """Start moto's S3 server and the gate in front of it; stop both afterwards."""
    moto_port, gate_port = _free_port(), _free_port()
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(moto_port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    try:
        _wait(moto_port, processes[0])
        gate = [sys.executable, "-m", "sandbox.objectstore.gate", "--port", str(gate_port)]
        gate += ["--upstream", str(moto_port), "--keys", f"{ACCESS_KEY}={SECRET_KEY}"]
        processes.append(subprocess.Popen(gate, cwd=Path(__file__).resolve().parents[3]))
        _wait(gate_port, processes[1])
        store = Store(f"http://127.0.0.1:{gate_port}", f"http://127.0.0.1:{moto_port}")
        store.client(direct=True).create_bucket(Bucket=BUCKET)
        yield store
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)
