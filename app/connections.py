"""Kept-alive connections shared evenly among ``seedbed serve``'s workers.

The workers accept from one listening socket, and whichever wakes first accepts every connection waiting: eight
connections opened at once often end six on one worker and two on the other. The first worker's clients then wait
three times as long as the second's, and the second idles between its clients' requests (wrk, eight connections,
a page of the firm list on two cores: split 6/2, 1,386 req/s and p99 3.5× p50; split 4/4, 1,886 req/s).

So each worker writes how many connections it holds into its slot of a small file all of them map, and a worker
holding more than its share of them all answers the request at hand with ``Connection: close``. The client's next
connection lands wherever the kernel puts it, until the shares are even. A slot is claimed with a lock on its
bytes, which the kernel releases when the worker's process ends, so a restarted worker takes the slot back.
"""

from __future__ import annotations

import asyncio
import fcntl
import mmap
import os
import struct
from pathlib import Path
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

# The file's path and the number of workers, set by the server before it starts them.
ENVIRONMENT = "SEEDBED_CONNECTION_TALLY"
_SLOT = struct.Struct("q")


class Tally:
    """This worker's slot in the shared file, and the others' counts."""

    def __init__(self, path: Path, workers: int) -> None:
        self._file = path.open("r+b")
        self._map = mmap.mmap(self._file.fileno(), workers * _SLOT.size)
        self._workers = workers
        self._slots = struct.Struct(f"{workers}q")  # every worker's count, read in one unpack
        self.slot = self._claim()
        self.publish(0)

    def _claim(self) -> int:
        for slot in range(self._workers):
            try:
                fcntl.lockf(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB, _SLOT.size, slot * _SLOT.size)
            except OSError:
                continue
            return slot
        raise RuntimeError(f"more workers than the {self._workers} slots of the connection tally")

    def publish(self, held: int) -> None:
        _SLOT.pack_into(self._map, self.slot * _SLOT.size, held)

    def over_share(self, held: int) -> bool:
        """Whether ``held`` connections are more than this worker's even share of all the workers' connections."""
        counts: tuple[int, ...] = self._slots.unpack_from(self._map)
        total = sum(counts) - counts[self.slot] + held
        return held > -(-total // self._workers)

    @classmethod
    def create(cls, directory: Path, workers: int) -> Path:
        """The zeroed file for ``workers`` slots, and the environment that tells the workers where it is."""
        path = directory / "connections.tally"
        path.write_bytes(bytes(workers * _SLOT.size))
        os.environ[ENVIRONMENT] = f"{workers}:{path}"
        return path

    @classmethod
    def from_environment(cls) -> Tally | None:
        setting = os.environ.get(ENVIRONMENT)
        if not setting:
            return None
        workers, _, path = setting.partition(":")
        return cls(Path(path), int(workers))


TALLY: Tally | None = None


def several_workers() -> bool:
    """Whether this process is one of several workers of a ``seedbed serve`` (which shares a tally among them)."""
    return ENVIRONMENT in os.environ


def join() -> None:
    """Take this worker's slot, when the server shares a tally among its workers."""
    global TALLY
    TALLY = Tally.from_environment()


class EvenConnections(HttpToolsProtocol):
    """uvicorn's protocol (httptools), keeping this worker's count in the tally and closing a connection after its
    response while the worker holds more than its share."""

    # Connections of this worker told to close and not closed yet: no longer its own to count, or it would close
    # another one for the same excess.
    closing = 0
    _closes = False

    def _held(self) -> int:
        return len(self.connections) - EvenConnections.closing

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)  # type: ignore[arg-type]
        if TALLY is not None:
            TALLY.publish(self._held())

    def connection_lost(self, exc: Exception | None) -> None:
        super().connection_lost(exc)
        if self._closes:
            self._closes = False
            EvenConnections.closing -= 1
        if TALLY is not None:
            TALLY.publish(self._held())

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        cycle: Any = self.cycle
        # Not with requests pipelined behind this one: closing would leave them unanswered.
        if (TALLY is not None and cycle is not None and not self._closes and not cycle.response_started
                and not self.pipeline and TALLY.over_share(self._held())):
            cycle.keep_alive = False
            self._closes = True
            EvenConnections.closing += 1
            TALLY.publish(self._held())
