"""Is the DBMS of a pid file still running? A pid is only a number: once its process has
ended it may be a zombie nobody has reaped yet, or the number of another process started since.
On Linux the answer comes from /proc: the process must be alive (not a zombie), started when
the pid file says it did, and be the launcher; elsewhere a signal 0 is all there is."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["LAUNCHER_CLASS", "exit_code", "is_running", "start_ticks"]

LAUNCHER_CLASS = "cmdb.neo4j.Launcher"
_PROC = Path("/proc")


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (state first), or None."""
    try:
        text = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # The command name is in parentheses and may itself hold spaces or parentheses.
    return text[text.rindex(")") + 2 :].split()


def start_ticks(pid: int) -> int | None:
    """When `pid` started, in clock ticks since boot (the 22nd field of its stat), or None
    where /proc is not there."""
    fields = _stat(pid)
    return int(fields[19]) if fields is not None and len(fields) > 19 else None


def _reap(pid: int) -> bool:
    """Reaps `pid` if it is an ended child of this process; returns whether it was."""
    try:
        waited, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return False
    return waited != 0


def is_running(pid: int, started: int | None = None) -> bool:
    """Whether `pid` is a live launcher process (and, with `started`, the one that started
    then). A zombie child of this process is reaped on the way."""
    if not _PROC.is_dir():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return not _reap(pid)
    fields = _stat(pid)
    if fields is None:
        return False
    if fields[0] in ("Z", "X", "x"):
        _reap(pid)
        return False
    if started is not None and start_ticks(pid) != started:
        return False
    try:
        command = (_PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return False
    return LAUNCHER_CLASS.encode() in command


def exit_code(pid: int, started: int | None = None) -> int | None:
    """The exit code of `pid` once it has ended (-1 when it was not this process's child, so
    its code is unknown), else None. Reaps a child that ended."""
    try:
        waited, status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return None if is_running(pid, started) else -1
    if waited == 0:
        return None
    return os.waitstatus_to_exitcode(status)
