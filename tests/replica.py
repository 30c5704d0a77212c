"""A real streaming replica of the test server, for tests/core/test_streaming_replica.py.

`StandbyCluster` copies the running PostgreSQL server with `pg_basebackup` (the test database
included, so it is taken after pytest-django has created it) into a temporary directory and
starts it as a hot standby on a free port of 127.0.0.1, streaming from the primary. It needs
the same major version's `pg_basebackup` and `pg_ctl` (under /usr/lib/postgresql/<major>/bin
or on PATH) and a replication entry in the primary's pg_hba.conf, which `.ci/run` adds:

    host replication postgres 127.0.0.1/32 trust

PostgreSQL refuses to run as root, so as root the binaries run as the `postgres` user
(`runuser`). Where something is missing, `unavailable()` says what, and the tests skip with
that reason; with PEERAGE_REQUIRE_REPLICA=1 (CI's PostgreSQL pass) they fail instead.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

REPLICATION_ENTRY = "host replication postgres 127.0.0.1/32 trust"


def required() -> bool:
    return os.environ.get("PEERAGE_REQUIRE_REPLICA") == "1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _bin_dir(major: int) -> Path | None:
    """Where this server version's client and server programs are."""
    candidates = [Path(f"/usr/lib/postgresql/{major}/bin")]
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    needed = ("pg_basebackup", "pg_ctl", "postgres")
    for folder in candidates:
        if all((folder / name).is_file() for name in needed) and _major_of(folder) == major:
            return folder
    return None


def _major_of(folder: Path) -> int | None:
    out = subprocess.run(  # noqa: S603 - PostgreSQL's own pg_ctl
        [folder / "pg_ctl", "--version"], capture_output=True, text=True, check=False
    ).stdout  # "pg_ctl (PostgreSQL) 15.20 (Debian ...)"
    try:
        return int(out.split(")")[1].split()[0].split(".")[0])
    except (IndexError, ValueError):
        return None


class StandbyCluster:
    """A hot standby of the primary at `host`:`port` (see the module docstring)."""

    def __init__(self, *, host: str, port: int, user: str, major: int) -> None:
        self.primary = {"host": host, "port": str(port), "user": user}
        self.major = major
        self.bin = _bin_dir(major)
        self.as_postgres = os.geteuid() == 0
        self.port = _free_port()
        self.root: Path | None = None

    def unavailable(self) -> str | None:
        """Why no standby can be made here, or None."""
        if self.bin is None:
            return (
                f"pg_basebackup and pg_ctl for PostgreSQL {self.major} not found "
                f"(/usr/lib/postgresql/{self.major}/bin or PATH)"
            )
        if self.as_postgres:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                return "running as root with no `postgres` user to run the standby as"
            if not shutil.which("runuser"):
                return "running as root without `runuser` to start the standby as `postgres`"
        return None

    @property
    def data(self) -> Path:
        assert self.root is not None
        return self.root / "data"

    def _run(self, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(  # noqa: S603 - PostgreSQL's programs, fixed arguments
            command, capture_output=True, text=True, timeout=timeout, check=False, cwd=self.root
        )

    def create(self) -> str | None:
        """Copy the primary and start the standby; the reason when the primary refuses."""
        self.root = Path(tempfile.mkdtemp(prefix="peerage-standby-"))
        if self.as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
        p = self.primary
        # -R: standby.signal and primary_conninfo; -N: no fsync of a throwaway copy.
        copy = self._run(
            "pg_basebackup", "-h", p["host"], "-p", p["port"], "-U", p["user"],
            "-D", str(self.data), "-X", "stream", "-R", "-N", "-c", "fast",
        )  # fmt: skip
        if copy.returncode != 0:
            return (
                f"pg_basebackup failed ({copy.stderr.strip()}); the primary needs "
                f"'{REPLICATION_ENTRY}' in its pg_hba.conf"
            )
        self._configure()
        return self.start()

    def _configure(self) -> None:
        """Debian keeps postgresql.conf and pg_hba.conf outside the data directory, so the copy
        gets its own. Settings that a standby must not set lower than its primary follow the
        primary; fsync is off (a throwaway copy: it also skips the start-up sync)."""
        at_least = ("max_connections", "max_worker_processes", "max_wal_senders",
                    "max_prepared_transactions", "max_locks_per_transaction")  # fmt: skip
        primary = self._primary_settings(at_least)
        lines = [
            f"port = {self.port}",
            "listen_addresses = '127.0.0.1'",
            f"unix_socket_directories = '{self.root}'",
            "hot_standby = on",
            "fsync = off",
            "max_standby_streaming_delay = -1",  # a paused replay must not cancel test reads
            f"hba_file = '{self.data / 'pg_hba.conf'}'",
            f"ident_file = '{self.data / 'pg_ident.conf'}'",
            *(f"{name} = {value}" for name, value in primary.items()),
        ]
        (self.data / "postgresql.conf").write_text("\n".join(lines) + "\n")
        (self.data / "pg_hba.conf").write_text(
            "local all all trust\nhost all all 127.0.0.1/32 trust\n"
        )
        (self.data / "pg_ident.conf").write_text("")
        if self.as_postgres:
            for name in ("postgresql.conf", "pg_hba.conf", "pg_ident.conf"):
                shutil.chown(self.data / name, "postgres", "postgres")

    def _primary_settings(self, names: tuple[str, ...]) -> dict[str, str]:
        import psycopg

        p = self.primary
        with psycopg.connect(
            host=p["host"], port=p["port"], user=p["user"], dbname="postgres"
        ) as c:
            return {name: c.execute(f"SHOW {name}").fetchone()[0] for name in names}

    def start(self) -> str | None:
        log = str(self.root / "standby.log")
        started = self._run("pg_ctl", "-D", str(self.data), "-l", log, "-w", "-t", "600", "start")
        if started.returncode != 0:
            tail = Path(log).read_text()[-2000:] if Path(log).exists() else started.stderr
            return f"the standby did not start: {tail}"
        return None

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        if self.root is None:
            return
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def wait_for_replay(primary_cursor, standby_cursor, timeout: float = 60) -> None:
    """Until the standby has replayed everything the primary has written so far."""
    primary_cursor.execute("SELECT pg_current_wal_lsn()")
    target = primary_cursor.fetchone()[0]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        standby_cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
        if standby_cursor.fetchone()[0]:
            return
        time.sleep(0.05)
    raise AssertionError(f"the standby did not replay up to {target} within {timeout} s")
