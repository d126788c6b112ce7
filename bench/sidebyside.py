"""Seedbed and Directus side by side, in one run: ``make bench PEER=directus`` (bench/README.md).

The peer's harness (``bench/peers/directus``) is copied into ``bench/work/directus`` (git-ignored), which
installs Node 22 and Directus from the npm registry on its first run and loads as many rows as the dataset
has firms (with the ``(district, created_at)`` index). Both servers listen on free loopback ports; each
scenario runs wrk against the peer and then against Seedbed (a short warm-up first, the server's RSS sampled),
and both servers are stopped by their PIDs. Results: ``bench/results/<date>-<scale>-sqlite-directus.json``
and a table in ``RESULTS.md``, with Seedbed ÷ Directus for each pair.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

from app.config import default_workers
from bench import dataset, report
from bench.load import API, Server, _free_port, _lookup_ids, _tree_cpu_s, _tree_rss_kb

BENCH = Path(__file__).resolve().parent
PEER_SOURCE = BENCH / "peers" / "directus"
PEER_HOME = BENCH / "work" / "directus"
PEER_TOKEN = "peer-static-admin-token-0001"
PEER_DISTRICT = "武陵区"
SEARCH_WORDS = ("科技", "新材料")
# Words searched one after another, drawn from each server's own names: more than either keeps answers for.
VARIED_WORDS = 1000


def _wrk(url: str, token: str, seconds: int, threads: int, connections: int, script: Path | None,
         pid: int) -> dict[str, Any]:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "20s",
               "-H", f"Authorization: Bearer {token}"]
    if script is not None:
        command += ["-s", str(script)]
    subprocess.run([*command[:4], "-d2s", *command[4:], url], capture_output=True, check=False)  # warm-up
    peak = [_tree_rss_kb(pid)]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.1):
            peak[0] = max(peak[0], _tree_rss_kb(pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    cpu_before = _tree_cpu_s(pid)
    try:
        text = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    finally:
        stop.set()
        sampler.join()
    result = _parse(text)
    cpu = _tree_cpu_s(pid) - cpu_before
    # Requests per CPU second of the server: what a request costs, whatever else the machine was doing.
    served = result["req_per_s"] * seconds
    return result | {"peak_rss_mb": round(peak[0] / 1024, 1), "cpu_s": round(cpu, 2),
                     "req_per_cpu_s": round(served / cpu) if cpu else None}


def _ms(value: str) -> float:
    number = float(re.match(r"[\d.]+", value).group())  # type: ignore[union-attr]
    if value.endswith("us"):
        return number / 1000
    if value.endswith("ms"):
        return number
    return number * 60_000 if value.endswith("m") else number * 1000


def _parse(text: str) -> dict[str, Any]:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", text, re.M))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    return {"req_per_s": float(rps.group(1)) if rps else 0.0,
            "p50_ms": round(_ms(latency.get("50", "0ms")), 2), "p99_ms": round(_ms(latency.get("99", "0ms")), 2),
            "errors": (int(non_2xx.group(1)) if non_2xx else 0)
            + (sum(int(n) for n in socket_errors.groups()) if socket_errors else 0)}


def _random_ids_script(path: Path, prefix: str, top: int, token: str) -> Path:
    path.write_text(f'math.randomseed(42)\nrequest = function() return wrk.format("GET", "{prefix}" .. '
                    f'math.random(1, {top}), {{["Authorization"] = "Bearer {token}"}}) end\n')
    return path


def _words(names: list[str], count: int) -> list[str]:
    """``count`` words of two characters, each taken at a random place in a random one of ``names``."""
    rnd = random.Random(42)
    picks = [rnd.choice(names) for _ in range(count)]
    return [name[at:at + 2] for name in picks for at in [rnd.randrange(len(name) - 1)]]


def _our_names(url: str) -> list[str]:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        names = list(conn.scalars(sa.text("SELECT name FROM enterprises WHERE id % 97 = 0")))
    engine.dispose()
    return names


def _peer_names(rows: int) -> list[str]:
    sys.path.insert(0, str(PEER_SOURCE))
    from load_data import rows as peer_rows  # the peer's own deterministic rows

    return [row["name"] for i, row in enumerate(peer_rows(rows)) if i % 97 == 0]


def _paths_script(path: Path, paths: list[str], token: str) -> Path:
    """A wrk script asking for one of ``paths`` at random each request."""
    listed = ",\n".join(json.dumps(p) for p in paths)
    path.write_text(f'math.randomseed(42)\nlocal paths = {{\n{listed}\n}}\nrequest = function() return '
                    f'wrk.format("GET", paths[math.random(1, #paths)], {{["Authorization"] = "Bearer {token}"}}) '
                    'end\n')
    return path


class Directus:
    def __init__(self, rows: int) -> None:
        PEER_HOME.mkdir(parents=True, exist_ok=True)
        for source in PEER_SOURCE.iterdir():
            shutil.copy2(source, PEER_HOME / source.name)
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "DX_PORT": str(self.port), "PEER_ROWS": str(rows), "PEER_INDEX": "1"}
        loaded = PEER_HOME / "data" / f"rows-{rows}"
        command = "restart" if loaded.exists() else "start"
        subprocess.run([str(PEER_HOME / "run-peer.sh"), command], env=self.env, check=True)
        loaded.touch()
        self.pid = int((PEER_HOME / "data" / "server.pid").read_text())
        self.version = json.loads((PEER_HOME / "node_modules" / "directus" / "package.json").read_text())["version"]

    def stop(self) -> None:
        os.kill(self.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.2)
        else:
            os.kill(self.pid, signal.SIGKILL)
        (PEER_HOME / "data" / "server.pid").unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=sorted(dataset.SCALES), default="district")
    parser.add_argument("--duration", type=int, default=10, help="Seconds per scenario and server.")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--data-dir", type=Path, default=BENCH / "data")
    parser.add_argument("--workers", type=int, default=default_workers(),
                        help="Seedbed worker processes (default: as `seedbed serve` starts, one per core, at most 4).")
    args = parser.parse_args()

    scale = dataset.SCALES[args.scale]
    url = dataset.database_url(scale, "sqlite", args.data_dir.resolve())
    record = args.data_dir.resolve() / f"{scale.name}-sqlite.generation.json"
    generation = dataset.ensure(scale, url, record, rebuild=False)
    ids = _lookup_ids(url)
    district = urllib.parse.quote(str(ids["district"]))
    work = PEER_HOME / "wrk"
    work.mkdir(parents=True, exist_ok=True)
    directus = Directus(scale.enterprises)
    seedbed = Server(url, args.workers)
    try:
        dx, sb = directus.base, seedbed.base
        pairs: list[tuple[str, tuple[str, Path | None] | None, tuple[str, Path | None]]] = [
            ("framework ceiling: /server/ping vs /healthz", (f"{dx}/server/ping", None), (f"{sb}/healthz", None)),
            ("authenticated no-op: /users/me vs /auth/me", (f"{dx}/users/me", None), (f"{sb}{API}/auth/me", None)),
            ("list page of 50, one street, newest first",
             (f"{dx}/items/enterprises?limit=50&filter%5Bdistrict%5D%5B_eq%5D={urllib.parse.quote(PEER_DISTRICT)}"
              "&sort=-created_at", None),
             (f"{sb}{API}/enterprises?district={district}&limit=50&sort=-registered_on", None)),
            ("one firm by random id",
             (f"{dx}/items/enterprises/", _random_ids_script(work / "dx_id.lua", "/items/enterprises/",
                                                             scale.enterprises, PEER_TOKEN)),
             (f"{sb}{API}/enterprises/", _random_ids_script(work / "sb_id.lua", f"{API}/enterprises/",
                                                            int(ids["last_firm"]), seedbed.token))),
        ]
        for word in SEARCH_WORDS:
            quoted = urllib.parse.quote(word)
            pairs.append((f"search {word} ({len(word)} characters), page of 50",
                          (f"{dx}/items/enterprises?limit=50&search={quoted}", None),
                          (f"{sb}{API}/enterprises?q={quoted}&limit=50", None)))
        peer_paths = [f"/items/enterprises?limit=50&search={urllib.parse.quote(w)}"
                      for w in _words(_peer_names(scale.enterprises), VARIED_WORDS)]
        our_paths = [f"{API}/enterprises?q={urllib.parse.quote(w)}&limit=50"
                     for w in _words(_our_names(url), VARIED_WORDS)]
        pairs.append((f"search one of {VARIED_WORDS} two-character words from the server's own names, page of 50",
                      (f"{dx}/", _paths_script(work / "dx_words.lua", peer_paths, PEER_TOKEN)),
                      (f"{sb}/", _paths_script(work / "sb_words.lua", our_paths, seedbed.token))))
        pairs.append(("/stats/summary?year=2025", None, (f"{sb}{API}/stats/summary?year=2025", None)))
        rows = []
        for name, peer, ours in pairs:
            print(name, flush=True)
            theirs = (_wrk(peer[0], PEER_TOKEN, args.duration, args.threads, args.connections, peer[1], directus.pid)
                      if peer else None)
            mine = _wrk(ours[0], seedbed.token, args.duration, args.threads, args.connections, ours[1],
                        seedbed.process.pid)
            ratio = round(mine["req_per_s"] / theirs["req_per_s"], 2) if theirs and theirs["req_per_s"] else None
            cpu_ratio = (round(mine["req_per_cpu_s"] / theirs["req_per_cpu_s"], 2)
                         if theirs and theirs["req_per_cpu_s"] and mine["req_per_cpu_s"] else None)
            rows.append({"scenario": name, "seedbed": mine, "directus": theirs, "ratio": ratio,
                         "cpu_ratio": cpu_ratio})
            print(f"  seedbed {mine}\n  directus {theirs}\n  ratio {ratio}", flush=True)
    finally:
        seedbed.stop()
        directus.stop()
    result = {"date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "scale": scale.name, "db": "sqlite",
              "peer": f"Directus {directus.version}", "environment": report.environment(url),
              "generation": generation, "settings": {"duration_s": args.duration, "threads": args.threads,
                                                     "connections": args.connections, "workers": args.workers},
              "pairs": rows}
    out = BENCH / "results" / f"{result['date'][:10]}-{scale.name}-sqlite-directus-w{args.workers}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    report.append_side_by_side(BENCH / "RESULTS.md", result)
    print(f"wrote {out.relative_to(BENCH.parent)} and bench/RESULTS.md", flush=True)


if __name__ == "__main__":
    main()
