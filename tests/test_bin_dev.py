"""`bin/dev PORT` serves that port, says so, and makes it SITE_URL: the addresses it prints and the
links its API answers with name the address it serves."""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def dev_server(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "ADDRESS", "PORT", "DJANGO_SETTINGS_MODULE")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'dev.sqlite3'}"
    process = subprocess.Popen(
        ["bash", "bin/dev", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines = []
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip())
            if line.startswith("Serving "):
                break
        yield port, lines
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def get(url, attempts=100):
    for _ in range(attempts):
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.read()
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing answered at {url}")


def test_bin_dev_serves_prints_and_links_the_port_it_is_given(dev_server):
    port, lines = dev_server
    address = f"http://127.0.0.1:{port}"
    assert f"Serving {address}/ (on 127.0.0.1:{port}; Ctrl-C stops it)" in lines, lines
    assert any(line.startswith(f"Admin: {address}/admin/") for line in lines), lines
    assert not any(":8000" in line for line in lines), lines
    listing = json.loads(get(f"{address}/api/v1/briefs/"))
    brief = listing["results"][0]
    assert brief["api_url"].startswith(f"{address}/api/v1/briefs/")
    assert brief["page_url"].startswith(f"{address}/briefs/")
    annotations = json.loads(get(brief["api_url"] + "annotations/"))
    assert annotations["id"].startswith(f"{address}/api/v1/")
    assert all(item["id"].startswith(f"{address}/api/v1/") for item in annotations["first"]["items"])
