"""The one command: `python -m config.devserver` (what `make run` runs) on a machine with no
DATABASE_URL / REDIS_URL brings up embedded PostgreSQL + Redis, the demo office, web, worker and
beat; Ctrl-C leaves no process behind; the data survives a restart."""

import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

BASE_DIR = Path(__file__).resolve().parents[1]


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(var_dir: Path, port: int) -> tuple[subprocess.Popen, Path]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG",
                        "DJANGO_ALLOW_ASYNC_UNSAFE", "XDG_RUNTIME_DIR"}}
    env.update(VAR_DIR=str(var_dir), PORT=str(port))
    log = var_dir.parent / f"run-{time.monotonic_ns()}.log"
    proc = subprocess.Popen([sys.executable, "-m", "config.devserver"], cwd=BASE_DIR, env=env,
                            stdout=log.open("wb"), stderr=subprocess.STDOUT)
    return proc, log


def wait_for(log: Path, text: str, timeout: float = 600) -> str:  # migrate + demo office: minutes on a loaded machine
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        out = log.read_text(errors="replace")
        if text in out:
            return out
        time.sleep(0.5)
    raise AssertionError(f"{text!r} not printed in time:\n{log.read_text(errors='replace')[-4000:]}")


def descendants_and_servers(proc: subprocess.Popen, var_dir: Path) -> list[psutil.Process]:
    found = []
    for p in psutil.process_iter(["cmdline"]):
        cmd = " ".join(p.info["cmdline"] or [])
        if str(var_dir) in cmd or f"PORT={var_dir}" in cmd:
            found.append(p)
    try:
        found += psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        pass
    return found


@pytest.mark.slow
def test_make_run_brings_the_office_up_and_ctrl_c_stops_everything():
    # a short path: the PostgreSQL socket lives inside it (unix socket paths are ~100 bytes max)
    root = Path(tempfile.mkdtemp(prefix="zb-run-", dir="/tmp"))
    os.chmod(root, 0o755)
    var_dir = root / "var"
    port = free_port()
    proc, log = start(var_dir, port)
    try:
        out = wait_for(log, "Zhengban is running at")
        assert "Demo logins (password for all: Zhengban@2026)" in out
        assert "zhengxl" in out and "auditadmin" in out
        assert f"http://127.0.0.1:{port}/" in out
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=10).read()
        assert "用户名".encode() in page
        worker_log = var_dir / "log" / "worker.log"
        wait_for(worker_log, "ready", timeout=60)
        wait_for(var_dir / "log" / "beat.log", "beat: Starting", timeout=60)
        children = descendants_and_servers(proc, var_dir)
        commands = [" ".join(p.cmdline()) for p in children]
        for part in ("runserver", "celery -A config worker", "celery -A config beat",
                     f"-D {var_dir / 'pg'}"):
            assert any(part in c for c in commands), (part, commands)
        # redis-server daemonizes and retitles itself: it is known by its pid file
        redis = psutil.Process(int((var_dir / "redis.pid").read_text()))
        assert "redis-server" in redis.name()
        children.append(redis)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=120)  # a loaded machine stops slowly
    out = log.read_text(errors="replace")
    assert "stopped." in out
    time.sleep(1)
    assert [p for p in children if p.is_running() and p.status() != psutil.STATUS_ZOMBIE] == []

    # data survives: the second start creates no new demo people
    proc, log = start(var_dir, port)
    try:
        out = wait_for(log, "Zhengban is running at")
        assert "(0 new)" in out
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=120)  # a loaded machine stops slowly
