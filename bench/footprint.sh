#!/usr/bin/env bash
# Footprint benchmark: how fast the gateway is ready, how much memory it holds under load, and
# whether large bodies stream (the heap stays flat while 64 clients upload 1 MiB each, and while 64
# download 1 MiB each). The gateway runs with the launcher's JVM options, in front of one nginx
# worker that serves a 1 MiB file and stores uploads (WebDAV PUT: it reads each body whole before
# it answers, as a PHP engine does). It is a benchmark, not a test.
#
#   bench/footprint.sh                   # 15 s per load, 64 connections for the large bodies
#   DURATION=30 bench/footprint.sh
#
# Goals (issue 6): ready within 1.5 s of the start, RSS at most 256 MiB under load, and the heap
# after a full GC no larger after the large-body loads than before them (a few MiB of slack).
#
# Needs: wrk, nginx (Debian packages) and Java 17 + Maven for the jar.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${DURATION:-15}"
BASE_PORT="${BASE_PORT:-18200}"          # uses BASE_PORT+1 and BASE_PORT+2 on 127.0.0.1
# The launcher's own JVM options (conf/jvm.options), so what is measured is what users run.
JAVA_OPTS="${JAVA_OPTS:-$(tr '\n' ' ' <"$ROOT/conf/jvm.options")}"
UP=$((BASE_PORT + 1)); GW=$((BASE_PORT + 2))

need() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || { echo "footprint.sh: $1 is missing: apt-get install -y $2" >&2; exit 1; }; }
need wrk wrk; need nginx nginx; need java openjdk-17-jdk-headless; need jcmd openjdk-17-jdk-headless

JAR="$ROOT/target/supercharger.jar"
if [ ! -f "$JAR" ]; then (cd "$ROOT" && mvn -B -q package -DskipTests); fi

WORK="$(mktemp -d /tmp/sc-footprint.XXXXXX)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM

wait_port() { for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "footprint.sh: nothing listens on $1" >&2; exit 1; }

mkdir -p "$WORK/up/www/upload" "$WORK/up/tmp"
head -c 1048576 /dev/urandom > "$WORK/up/www/big"
cat > "$WORK/up/nginx.conf" <<CONF
worker_processes 1; daemon off; pid $WORK/up/nginx.pid; error_log stderr error;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000; client_max_body_size 2m;
  client_body_temp_path $WORK/up/tmp;
  server { listen 127.0.0.1:$UP; root $WORK/up/www;
    location /upload/ { dav_methods PUT; create_full_put_path on; }
    location = /api/categories { default_type application/json; return 200 '{"id":1,"name":"Books","slug":"books"}\n'; } } }
CONF
chmod -R a+rX "$WORK"; chmod a+rwx "$WORK/up/www/upload" "$WORK/up/tmp"   # nginx workers run as nobody
nginx -c "$WORK/up/nginx.conf" -p "$WORK/up" & PIDS+=($!)
wait_port "$UP"

cat > "$WORK/gw.yaml" <<CONF
listen: {host: 127.0.0.1, port: $GW}
security: {mode: allowlist_or_token, allowlist: [127.0.0.1/32]}
access_log: {enabled: false}
pools:
  app: {engine: roadrunner, protocol: http, instances: ["127.0.0.1:$UP"], lifecycle: {enabled: false}}
routes:
  - {name: categories, path: /api/categories, methods: [GET, HEAD], class: read}
  - {name: upload, path: /upload, methods: [PUT], class: write}
  - {name: big, path: /big, methods: [GET], class: read}
CONF
cat > "$WORK/upload.lua" <<'LUA'
wrk.method = "PUT"
wrk.body = string.rep("x", 1048576)
wrk.headers["Content-Type"] = "application/octet-stream"
LUA

# --- readiness: from the exec to the first 200 on /ready (config load, JIT-cold start, first probe)
start_ns=$(date +%s%N)
# shellcheck disable=SC2086
java $JAVA_OPTS -jar "$JAR" run --config "$WORK/gw.yaml" >"$WORK/gw.log" 2>&1 & GW_PID=$!; PIDS+=($GW_PID)
ready_ms=""
for _ in $(seq 1 1000); do
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$GW/ready" 2>/dev/null)" = 200 ]; then
    ready_ms=$(( ($(date +%s%N) - start_ns) / 1000000 )); break
  fi
  sleep 0.01
done
[ -n "$ready_ms" ] || { echo "footprint.sh: the gateway never became ready" >&2; cat "$WORK/gw.log" >&2; exit 1; }

rss_mib() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$GW_PID/status"; }
# Runs wrk with the given arguments while sampling the gateway's RSS every 0.5 s; prints
# "<wrk summary> <max rss MiB>".
under_load() {
  local max=0 r
  wrk "$@" >"$WORK/wrk.out" 2>&1 & local w=$!
  while kill -0 "$w" 2>/dev/null; do r=$(rss_mib); [ "$r" -gt "$max" ] && max=$r; sleep 0.5; done
  wait "$w"
  local rps tr non2xx
  rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$WORK/wrk.out")
  tr=$(awk '/Transfer\/sec/ {print $2}' "$WORK/wrk.out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$WORK/wrk.out"); non2xx=${non2xx:-0}
  echo "$rps $tr $non2xx $max"
}
# Heap in use after a full GC: what the gateway really keeps.
heap_after_gc_mib() {
  jcmd "$GW_PID" GC.run >/dev/null
  jcmd "$GW_PID" GC.heap_info | awk '/garbage-first heap|def new generation|PSYoungGen|total .* used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); printf "%.1f", v / 1024; exit } }'
}

row() { printf "%-44s %10s %12s %8s %9s\n" "$@"; }
echo "Footprint benchmark on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(uname -sr)"
echo "JAVA_OPTS: $JAVA_OPTS"
echo "ready after ${ready_ms} ms (goal: at most 1500)"
echo
wrk -t2 -c32 -d5s "http://127.0.0.1:$GW/api/categories" >/dev/null   # JIT warm-up
heap_before=$(heap_after_gc_mib)
row "load (${DURATION}s each)" "req/s" "transfer/s" "non-2xx" "max RSS"
read -r rps tr bad rss <<<"$(under_load -t2 -c32 -d"${DURATION}s" "http://127.0.0.1:$GW/api/categories")"
row "small GETs, 32 connections" "$rps" "$tr" "$bad" "${rss} MiB"; max_rss=$rss
read -r rps tr bad rss <<<"$(under_load -t2 -c64 -d"${DURATION}s" -s "$WORK/upload.lua" "http://127.0.0.1:$GW/upload/file")"
row "1 MiB uploads, 64 connections" "$rps" "$tr" "$bad" "${rss} MiB"; [ "$rss" -gt "$max_rss" ] && max_rss=$rss
read -r rps tr bad rss <<<"$(under_load -t2 -c64 -d"${DURATION}s" "http://127.0.0.1:$GW/big")"
row "1 MiB downloads, 64 connections" "$rps" "$tr" "$bad" "${rss} MiB"; [ "$rss" -gt "$max_rss" ] && max_rss=$rss
heap_after=$(heap_after_gc_mib)
echo
echo "max RSS under load: ${max_rss} MiB (goal: at most 256)"
echo "heap after a full GC: ${heap_before} MiB before the loads, ${heap_after} MiB after (goal: flat)"
