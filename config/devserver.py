"""`make run`: bring the whole office up on this machine.

Starts the embedded PostgreSQL and Redis under var/ when DATABASE_URL / REDIS_URL are unset,
migrates, compiles translations, loads the demo office (idempotent), then runs the web server,
a Celery worker and Celery beat, and prints the URL and the demo logins. Ctrl-C stops every
process it started (and the embedded servers); data under var/ survives for the next run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from config import embedded

BASE_DIR = Path(__file__).resolve().parent.parent
PY = sys.executable


def _manage(*args: str, env: dict) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


def _spawn(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    handle = open(log, "ab")  # noqa: SIM115 - closed when the process ends
    return subprocess.Popen(args, cwd=BASE_DIR, env=env, stdout=handle, stderr=subprocess.STDOUT,
                            start_new_session=True)


def _stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        if p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + 15
    for p in procs:
        try:
            p.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()


def launcher_env(environ: dict) -> dict:
    """The environment of every process `make run` starts: development mode, and links in
    e-mails pointing at the port it serves (unless SITE_URL is set)."""
    env = dict(environ)
    env.setdefault("DEBUG", "true")
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    env["PORT"] = env.get("PORT") or "8000"
    if not env.get("SITE_URL"):
        env["SITE_URL"] = f"http://127.0.0.1:{env['PORT']}"
    return env


def main() -> int:
    # Ctrl-C stops everything even when the launcher was started with SIGINT ignored (a
    # non-interactive shell's background job, `nohup`): Python then installs no handler itself.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    env = launcher_env(os.environ)
    port = env["PORT"]
    var = embedded.var_dir()
    logs = var / "log"
    logs.mkdir(exist_ok=True)

    own_pg = not env.get("DATABASE_URL")
    own_redis = not env.get("REDIS_URL")
    if own_pg:
        print("starting embedded PostgreSQL under var/pg ...", flush=True)
        env["DATABASE_URL"] = embedded.start_postgres()
    if own_redis:
        print("starting embedded Redis under var/ ...", flush=True)
        env["REDIS_URL"] = embedded.start_redis()

    procs: list[subprocess.Popen] = []
    stopping = False

    def shutdown(*_args) -> None:
        nonlocal stopping
        if stopping:
            return
        stopping = True
        print("\nstopping web, worker and beat ...", flush=True)
        _stop(procs)
        if own_redis:
            embedded.stop_redis()
        if own_pg:
            embedded.stop_postgres()
        print("stopped.", flush=True)

    signal.signal(signal.SIGTERM, lambda *a: (shutdown(), sys.exit(0)))
    try:
        _manage("migrate", "--noinput", "-v", "0", env=env)
        _manage("compile_translations", env=env)
        if not (var / "signing" / "signing-cert.pem").exists():  # the demo office signs what it issues
            _manage("make_signing_cert", "--dir", str(var / "signing"), env=env)
        celery = [PY, "-m", "celery", "-A", "config"]
        procs.append(_spawn([PY, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                            env, logs / "web.log"))
        procs.append(_spawn([*celery, "worker", "-l", "info", "--concurrency", "2",
                             "-n", "zhengban@%h"], env, logs / "worker.log"))
        procs.append(_spawn([*celery, "beat", "-l", "info", "-s", str(var / "celerybeat-schedule")],
                            env, logs / "beat.log"))
        _manage("load_demo", "--print-logins", env=env)
        url = f"http://127.0.0.1:{port}/"
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "accounts/login/", timeout=1)  # noqa: S310 - localhost
                break
            except OSError:
                time.sleep(0.2)
        print(f"\nZhengban is running at {url}  (logs in var/log/; Ctrl-C stops everything)\n",
              flush=True)
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
        dead = [p.args for p in procs if p.poll() is not None]
        print(f"a process stopped unexpectedly: {dead}; see var/log/", flush=True)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        shutdown()


if __name__ == "__main__":
    sys.exit(main())
