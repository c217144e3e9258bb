"""Real local services the exercises need: an S3-compatible server (moto) and an R kernel spec."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class S3Server:
    port: int

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environment(self) -> dict[str, str]:
        """What fsspec/s3fs, boto and GDAL (/vsis3/) need to talk to this server instead of AWS."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_S3_ENDPOINT": f"127.0.0.1:{self.port}",
            "AWS_HTTPS": "NO",
            "AWS_VIRTUAL_HOSTING": "FALSE",
            "AWS_EC2_METADATA_DISABLED": "true",  # never ask a cloud metadata address for credentials
        }

    def client(self):  # type: ignore[no-untyped-def]
        """A boto3 S3 client for this server, with the dummy credentials it accepts."""
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            region_name="us-east-1",
        )

    def create_bucket(self, name: str) -> None:
        client = self.client()
        existing = {b["Name"] for b in client.list_buckets().get("Buckets", [])}
        if name not in existing:
            client.create_bucket(Bucket=name)

    def create_public_bucket(self, name: str, folder: Path) -> None:
        """A bucket anyone may read without credentials (like a cloud's open-data buckets), filled
        with the files under ``folder`` (keys are their paths relative to it)."""
        client = self.client()
        client.create_bucket(Bucket=name, ACL="public-read")
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            key = path.relative_to(folder).as_posix()
            client.put_object(Bucket=name, Key=key, Body=path.read_bytes(), ACL="public-read")

    def list_keys(self, bucket: str, prefix: str = "") -> list[str]:
        client = self.client()
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        return [item["Key"] for page in pages for item in page.get("Contents", [])]


@contextmanager
def start_s3_server() -> Iterator[S3Server]:
    """``python -m moto.server`` on a free 127.0.0.1 port; stopped by PID on exit."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError("moto.server exited at start") from None
                time.sleep(0.1)
        else:
            raise RuntimeError("moto.server did not start within 30 s")
        yield S3Server(port)
    finally:
        stop(process, timeout=10)


def stop(process: subprocess.Popen, timeout: float) -> None:  # type: ignore[type-arg]
    """Stop a server this test run started: ask it to end, then kill it if it takes too long."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def r_kernelspec_dir(folder: Path) -> str | None:
    """Write IRkernel's kernel spec into ``folder``; return a JUPYTER_PATH entry (None without R).

    The same spec ``IRkernel::installspec()`` writes, without needing ``jupyter`` on PATH.
    """
    if shutil.which("R") is None:
        return None
    check = subprocess.run(["R", "--quiet", "--no-save", "-e", "library(IRkernel)"], capture_output=True, check=False)
    if check.returncode != 0:
        return None
    kernel = folder / "kernels" / "ir"
    kernel.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": ["R", "--slave", "-e", "IRkernel::main()", "--args", "{connection_file}"],
        "display_name": "R",
        "language": "R",
    }
    (kernel / "kernel.json").write_text(json.dumps(spec))
    return str(folder)
