"""How long a phone's visit waits while a large firm list is being imported through the API.

    PYTHONPATH=. python bench/import_visit_wait.py [--firms 10000] [--db sqlite|postgresql] [--every 0.2]

Starts ``seedbed serve`` (one worker) on a free loopback port over a fresh migrated database, registers one
firm, then uploads a generated firm list (.xlsx, as bench/import_firms.py builds it) to
``POST /api/v1/imports/enterprises`` from one thread while another logs a visit every ``--every`` seconds
until the import has answered. Prints (and returns) the import's wall time and each visit's latency and
status: on SQLite a write that waits for its turn shows here as latency, or as a 503 after
``SEEDBED_SQLITE_WRITE_WAIT_SECONDS``. Loopback only; the server is stopped by its PID.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

import dataset  # noqa: E402
import import_firms  # noqa: E402
import load  # noqa: E402

API = "/api/v1"


def _call(server: load.Server, method: str, path: str, body: bytes, content_type: str) -> tuple[int, Any]:
    request = urllib.request.Request(f"{server.base}{path}", data=body, method=method, headers={
        "Authorization": f"Bearer {server.token}", "Content-Type": content_type, "Accept-Language": "en"})
    try:
        with urllib.request.urlopen(request, timeout=600) as answer:
            return int(answer.status), json.load(answer)
    except urllib.error.HTTPError as error:
        return error.code, None


def _multipart(path: Path) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{path.name}\"\r\n"
            "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n").encode()
    return head + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def measure(db: str, firms: int, every: float, work: Path) -> dict[str, Any]:
    path = work / f"firms-{firms}.xlsx"
    import_firms.write_file(import_firms.firm_rows(firms), path)
    url = dataset.database_url(dataset.Scale(f"visit_wait_{firms}", firms, 0), db, work)
    dataset._drop_and_create(url)
    dataset._run(["migrate"], url)
    dataset._run(["create-user", dataset.USERNAME, "--role", "admin", "--password-stdin"], url,
                 stdin=dataset.PASSWORD + "\n")
    server = load.Server(url, 1)
    try:
        status, firm = _call(server, "POST", f"{API}/enterprises", json.dumps({
            "credit_code": "91430702MA4L0B3C1B", "name": "常德启明生物科技有限公司", "district": "丹阳街道"}).encode(),
            "application/json")
        assert status == 201, status
        visit = json.dumps({"enterprise_id": firm["id"], "visited_on": dt.datetime.now(dt.UTC).date().isoformat(),
                            "kind": "phone", "summary": "电话回访：导入期间记录。"}).encode()
        body, content_type = _multipart(path)
        outcome: dict[str, Any] = {}

        def run_import() -> None:
            started = time.perf_counter()
            outcome["status"], report = _call(server, "POST", f"{API}/imports/enterprises", body, content_type)
            outcome["wall_s"] = round(time.perf_counter() - started, 2)
            outcome["created"] = (report or {}).get("created")

        thread = threading.Thread(target=run_import)
        thread.start()
        waits: list[tuple[float, int]] = []
        while thread.is_alive():
            started = time.perf_counter()
            status, _ = _call(server, "POST", f"{API}/visits", visit, "application/json")
            waits.append((round(time.perf_counter() - started, 3), status))
            time.sleep(every)
        thread.join()
    finally:
        server.stop()
    seconds = [wait for wait, _ in waits]
    return {"db": db, "firms": firms, "import": outcome, "visits": len(waits),
            "visit_statuses": sorted({status for _, status in waits}),
            "visit_wait_max_s": max(seconds, default=None),
            "visit_wait_median_s": round(statistics.median(seconds), 3) if seconds else None}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--firms", type=int, default=10_000)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--every", type=float, default=0.2, help="Seconds between two visits.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        print(json.dumps(measure(args.db, args.firms, args.every, Path(directory)), ensure_ascii=False))


if __name__ == "__main__":
    main()
