"""Keeping the embedded DBMS of `cmdb serve` running: a thread that notices when it ends (and
reaps it, so no zombie is left to pass for a running server), says why in the log, and starts it
again after a backoff that doubles while starts keep failing or the DBMS keeps dying soon after.

A DBMS that runs but whose database has panicked (a write its disk refused: it then answers
every transaction "needs to be restarted", and Neo4j Community cannot restart one database) is
restarted the same way: a second thread asks it a trivial question every `probe_every` seconds
(graph/embedded/_probe.py), and the first one stops and starts it, saying why in the log.

A DBMS stopped on purpose (`cmdb neo4j stop`, or the API shutting down) is not restarted: `stop`
marks the pid file first, and the supervisor reads the mark.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from graph.embedded._launcher import EmbeddedNeo4j, Neo4jStartError, RunningNeo4j
from graph.embedded._probe import PanicProbe

__all__ = ["RestartPolicy", "Supervisor"]

log = logging.getLogger("cmdb.neo4j")


@dataclass(frozen=True)
class RestartPolicy:
    first_delay: float = 1.0
    """Seconds before the first restart."""
    max_delay: float = 30.0
    """The longest wait between two attempts."""
    stable_after: float = 60.0
    """A DBMS that ran this long before it ended is restarted after `first_delay` again."""
    poll: float = 0.5
    """How often the supervisor looks."""
    probe_every: float = 5.0
    """How often it asks the DBMS whether its database has panicked (0: never)."""
    stop_timeout: float = 30.0
    """How long a panicked DBMS gets to shut down cleanly before it is killed."""


class Supervisor:
    """Watches `running` (the DBMS of `server`) from a daemon thread and restarts it when it
    ends unasked. `restarts` counts the starts that succeeded."""

    def __init__(
        self, server: EmbeddedNeo4j, running: RunningNeo4j, policy: RestartPolicy | None = None
    ) -> None:
        self._server = server
        self._running = running
        self._policy = policy or RestartPolicy()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="neo4j-supervisor", daemon=True)
        self._probe = PanicProbe(running.uri, server.password)
        self._prober = threading.Thread(target=self._probe_loop, name="neo4j-probe", daemon=True)
        self._panic: tuple[int, str] | None = None
        """The pid of a DBMS the probe found panicked, and why."""
        self.restarts = 0

    @property
    def running(self) -> RunningNeo4j:
        return self._running

    @property
    def watching(self) -> bool:
        """Whether the thread still watches (it ends at `stop` or when the DBMS was stopped)."""
        return self._thread.is_alive()

    def start(self) -> None:
        self._thread.start()
        if self._policy.probe_every > 0:
            self._prober.start()

    def stop(self) -> None:
        """Stops watching (the DBMS keeps running): call it before stopping the DBMS."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        # The probe may be waiting on a paused DBMS: it is a daemon, not waited for.
        self._probe.close()

    def _probe_loop(self) -> None:
        while not self._stop.wait(self._policy.probe_every):
            pid = self._running.pid
            reason = self._probe.panicked()
            if reason is not None and self._panic is None:
                self._panic = (pid, reason)

    def _watch(self) -> None:
        delay = self._policy.first_delay
        up_since = time.monotonic()
        while not self._stop.wait(self._policy.poll):
            code = self._server.exit_code(self._running)
            if code is None:
                panic, self._panic = self._panic, None
                if panic is not None and panic[0] == self._running.pid:
                    delay = self._restart_panicked(panic[1], delay, up_since)
                    up_since = time.monotonic()
                continue
            if self._server.stopping():
                log.info("embedded Neo4j (pid %d) was stopped: not restarted", self._running.pid)
                return
            self._server.forget(self._running)
            if time.monotonic() - up_since >= self._policy.stable_after:
                delay = self._policy.first_delay
            log.warning(
                "embedded Neo4j (pid %d) ended unasked (%s); starting it again in %.0f s",
                self._running.pid,
                _how(code),
                delay,
            )
            delay = self._restart(delay)
            up_since = time.monotonic()

    def _restart_panicked(self, reason: str, delay: float, up_since: float) -> float:
        """Stops the running DBMS whose database panicked and starts it again after `delay`."""
        if time.monotonic() - up_since >= self._policy.stable_after:
            delay = self._policy.first_delay
        log.warning(
            "embedded Neo4j (pid %d) must be restarted: %s; stopping it, starting it again "
            "in %.0f s",
            self._running.pid,
            reason,
            delay,
        )
        try:
            self._server.stop(timeout=self._policy.stop_timeout)
        except OSError as error:  # the stop mark could not be written: no room left
            log.warning("embedded Neo4j could not be stopped cleanly (%s): killed", error)
            self._server.kill(self._running)
        return self._restart(delay)

    def _restart(self, delay: float) -> float:
        """Starts the DBMS after `delay`, retrying with a doubling delay until it runs or the
        supervisor is stopped; returns the delay for the next time it ends."""
        while not self._stop.wait(delay):
            try:
                self._running = self._server.start(watch_parent=True)
            except (Neo4jStartError, OSError) as error:  # OSError: no room for its files
                delay = min(delay * 2, self._policy.max_delay)
                log.error("embedded Neo4j did not start (%s); trying again in %.0f s", error, delay)
                continue
            self.restarts += 1
            log.warning(
                "embedded Neo4j started again: pid %d on %s", self._running.pid, self._running.uri
            )
            return min(delay * 2, self._policy.max_delay)
        return delay


def _how(code: int) -> str:
    if code == -1:
        return "exit code unknown: another process started it"
    if code < 0:
        return f"killed by signal {-code}"
    return f"exit code {code}"
