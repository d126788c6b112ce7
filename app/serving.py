"""Running uvicorn for ``seedbed serve``, with two fixes for several workers.

With ``--workers N`` uvicorn binds the shared listening socket with protocol 0, and asyncio sets
``TCP_NODELAY`` only on connections whose protocol is TCP. Without it a response written in two parts
(headers, then body) waits for the client's delayed ACK: about 40 ms a request, 90 requests/s in all,
whatever the server does. So the socket is bound here, as a TCP socket, and handed to uvicorn's workers.

And uvicorn's workers keep whatever connections they happened to accept: they are made to share them evenly
(``app/connections.py``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import socket
import sys
import tempfile
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI
from uvicorn.supervisors import Multiprocess

from app.connections import Tally

APP = "app.serving:served_app"


def served_app() -> FastAPI:
    """The application of a server process, its start-up objects set aside from garbage collection.

    Everything made until now (modules, routes, models, the schema validators: several hundred thousand objects)
    lives as long as the process; left to the collector, each of its older-generation passes walks them all
    again, and a request that builds a page of 50 firms pays for it — twice the time of the page itself.
    ``gc.freeze`` moves them out of the collector's view; objects made by requests are collected as before.
    """
    from app import connections
    from app.main import create_app

    connections.join()
    _few_malloc_arenas()
    app = create_app()
    gc.collect()
    gc.freeze()
    return app


# glibc's mallopt parameter: how many arenas malloc may use (default eight per core).
_M_ARENA_MAX = -8


def _few_malloc_arenas() -> None:
    """Two malloc arenas for the process, not one per thread pool thread (up to 16 on two cores).

    Each request thread that allocates through malloc (SQLite's pages, large Python objects) gets an arena of its
    own, and memory freed in one arena serves no other: under eight concurrent requests the threads' arenas
    held several MiB each beyond what was in use. Two arenas keep the same throughput on this machine's two
    cores. Only on glibc; elsewhere nothing changes."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(_M_ARENA_MAX, 2)
    except (OSError, AttributeError):
        pass


def listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def uvicorn_options(host: str, port: int) -> dict[str, Any]:
    # X-Forwarded-For is read by the application, and only from SEEDBED_TRUSTED_PROXIES: uvicorn's own
    # handling would trust it from its default proxy list. No "server: uvicorn" banner.
    return {"factory": True, "host": host, "port": port, "proxy_headers": False, "server_header": False,
            "access_log": False}


def run(host: str, port: int, workers: int) -> None:
    options = uvicorn_options(host, port)
    if workers == 1:
        uvicorn.run(APP, **options)
        return
    config = uvicorn.Config(APP, workers=workers, http="app.connections:EvenConnections", **options)
    try:
        sock = listening_socket(host, port)
    except OSError as exc:
        print(f"error: cannot listen on {host}:{port}: {exc.strerror}", file=sys.stderr)
        raise SystemExit(1) from exc
    print(f"Seedbed on http://{host}:{sock.getsockname()[1]} with {workers} workers (Ctrl+C to stop)",
          file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory(prefix="seedbed-serve-") as shared:
        Tally.create(Path(shared), workers)
        Multiprocess(config, sockets=[sock]).run()
