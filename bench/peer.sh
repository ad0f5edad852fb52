#!/usr/bin/env bash
# Peer benchmark: the same loopback load (wrk) against the upstream directly, nginx, HAProxy and the
# gateway, all in front of one fast upstream (nginx returning a small body); then the FastCGI path:
# the gateway -> php-fpm against nginx fastcgi_pass -> php-fpm. Each target is warmed up first (the
# JVM's JIT included), then measured. It is a benchmark, not a test: run it on a quiet machine.
#
#   bench/peer.sh                        # 10 s warm-up + 15 s per target, 32 connections, 2 threads
#   DURATION=30 CONNECTIONS=64 bench/peer.sh
#
# Each proxy gets its own php-fpm pool (same config): an FPM child serves one connection at a time,
# so a proxy's idle keep-alive connections would otherwise pin children the other one needs.
#
# Needs: wrk, nginx, haproxy, php-fpm8.2 (Debian packages) and Java 17 + Maven for the jar.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-10}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"
BASE_PORT="${BASE_PORT:-18100}"          # uses BASE_PORT+1 .. BASE_PORT+8 on 127.0.0.1
ACCESS_LOG="${ACCESS_LOG:-false}"        # the gateway's access log (nginx and HAProxy log nothing here)
# The launcher's own JVM options (conf/jvm.options), so what is measured is what users run.
JAVA_OPTS="${JAVA_OPTS:-$(tr '\n' ' ' <"$ROOT/conf/jvm.options")}"

UP=$((BASE_PORT + 1)); NGX=$((BASE_PORT + 2)); HAP=$((BASE_PORT + 3)); GW=$((BASE_PORT + 4))
FPM=$((BASE_PORT + 5)); NGX_FCGI=$((BASE_PORT + 6)); GW_FCGI=$((BASE_PORT + 7)); FPM_GW=$((BASE_PORT + 8))

need() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || { echo "peer.sh: $1 is missing: apt-get install -y $2" >&2; exit 1; }; }
need wrk wrk; need nginx nginx; need haproxy haproxy; need php-fpm8.2 php8.2-fpm; need java openjdk-17-jdk-headless

JAR="$ROOT/target/supercharger.jar"
if [ ! -f "$JAR" ]; then (cd "$ROOT" && mvn -B -q package -DskipTests); fi

WORK="$(mktemp -d /tmp/sc-peer.XXXXXX)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM

wait_port() { for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "peer.sh: nothing listens on $1" >&2; exit 1; }
wait_ready() { for _ in $(seq 1 150); do [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/ready")" = 200 ] && return 0; sleep 0.1; done; echo "peer.sh: gateway on $1 not ready" >&2; exit 1; }

# --- the upstream: one nginx worker answering a small body (fast, so the proxies are what is measured)
mkdir -p "$WORK/up" "$WORK/ngx" "$WORK/fcgi" "$WORK/php"
# The FastCGI path is measured with a trivial front controller: the proxies are compared, not the app.
cat > "$WORK/php/index.php" <<'PHP'
<?php header('Content-Type: application/json'); echo '{"id":1,"name":"Books","slug":"books"}', "\n";
PHP
chmod a+rx "$WORK"; chmod -R a+rX "$WORK/php"   # FPM children run as nobody
cat > "$WORK/up/nginx.conf" <<CONF
worker_processes 1; daemon off; pid $WORK/up/nginx.pid; error_log stderr error;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
  server { listen 127.0.0.1:$UP; location / { default_type application/json; return 200 '{"id":1,"name":"Books","slug":"books"}\n'; } } }
CONF
nginx -c "$WORK/up/nginx.conf" -p "$WORK/up" & PIDS+=($!)

# --- nginx as the reverse proxy (keep-alive to the upstream, as the gateway does)
cat > "$WORK/ngx/nginx.conf" <<CONF
worker_processes auto; daemon off; pid $WORK/ngx/nginx.pid; error_log stderr error;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
  upstream app { server 127.0.0.1:$UP; keepalive 64; }
  upstream fpm { server 127.0.0.1:$FPM; keepalive 8; }
  server { listen 127.0.0.1:$NGX;
    location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection ""; } }
  server { listen 127.0.0.1:$NGX_FCGI;
    location / { include /etc/nginx/fastcgi_params; fastcgi_keep_conn on; fastcgi_pass fpm;
      fastcgi_param SCRIPT_FILENAME $WORK/php/index.php; fastcgi_param SCRIPT_NAME /index.php; } } }
CONF
nginx -c "$WORK/ngx/nginx.conf" -p "$WORK/ngx" & PIDS+=($!)

# --- HAProxy
cat > "$WORK/haproxy.cfg" <<CONF
global
  nbthread 2
  maxconn 4096
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  http-reuse always
frontend fe
  bind 127.0.0.1:$HAP
  default_backend app
backend app
  server up 127.0.0.1:$UP
CONF
haproxy -f "$WORK/haproxy.cfg" -db & PIDS+=($!)

# --- php-fpm: 4 static children serving the sample app; one pool per proxy (see the top)
start_fpm() {
  local name="$1" port="$2" dir="$WORK/fcgi/$1"
  mkdir -p "$dir"
  cat > "$dir/php-fpm.conf" <<CONF
[global]
pid = $dir/php-fpm.pid
error_log = /proc/self/fd/2
daemonize = no
[app]
listen = 127.0.0.1:$port
listen.backlog = 511
pm = static
pm.max_children = 4
pm.max_requests = 0
clear_env = no
CONF
  if [ "$(id -u)" = 0 ]; then sed -i "s/^\[app\]/[app]\nuser = nobody\ngroup = nogroup/" "$dir/php-fpm.conf"; fi
  php-fpm8.2 -F -y "$dir/php-fpm.conf" -p "$dir" $( [ "$(id -u)" = 0 ] && echo -R ) 2>"$dir/fpm.log" & PIDS+=($!)
}
start_fpm nginx "$FPM"
start_fpm gateway "$FPM_GW"

# --- the gateway, twice: in front of the HTTP upstream, and in front of php-fpm
cat > "$WORK/gw-http.yaml" <<CONF
listen: {host: 127.0.0.1, port: $GW}
security: {mode: allowlist_or_token, allowlist: [127.0.0.1/32]}
pools:
  # No recycling here: the proxies are compared, and nginx and HAProxy recycle nothing either.
  app: {engine: roadrunner, protocol: http, instances: ["127.0.0.1:$UP"], lifecycle: {enabled: false}}
routes:
  - {name: categories, path: /api/categories, methods: [GET, HEAD], class: read}
access_log: {enabled: $ACCESS_LOG, path: $WORK/gw-http-access.log}
CONF
cat > "$WORK/gw-fcgi.yaml" <<CONF
listen: {host: 127.0.0.1, port: $GW_FCGI}
security: {mode: allowlist_or_token, allowlist: [127.0.0.1/32]}
pools:
  fpm:
    engine: fpm
    protocol: fastcgi
    instances: ["127.0.0.1:$FPM_GW"]
    fastcgi: {document_root: "$WORK/php", index: index.php, max_children: 4, keep_alive: true}
routes:
  - {name: categories, path: /api/categories, methods: [GET, HEAD], class: read}
access_log: {enabled: $ACCESS_LOG, path: $WORK/gw-fcgi-access.log}
CONF
# shellcheck disable=SC2086
java $JAVA_OPTS -jar "$JAR" run --config "$WORK/gw-http.yaml" >"$WORK/gw-http.log" 2>&1 & PIDS+=($!)
# shellcheck disable=SC2086
java $JAVA_OPTS -jar "$JAR" run --config "$WORK/gw-fcgi.yaml" >"$WORK/gw-fcgi.log" 2>&1 & PIDS+=($!)

for p in $UP $NGX $HAP $FPM $FPM_GW $NGX_FCGI; do wait_port "$p"; done
wait_ready "$GW"; wait_ready "$GW_FCGI"

# wrk's "Latency Distribution" gives 50% and 99% in us, ms or s: print them in ms.
measure() {
  local url="$1" out
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "$url" >/dev/null
  out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$url")"
  local non2xx; non2xx="$(echo "$out" | awk '/Non-2xx/ {print $NF}')"
  [ -n "$non2xx" ] && echo "peer.sh: $url answered $non2xx non-2xx responses" >&2
  echo "$out" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
    END { printf "%.0f %.2f %.2f\n", rps, p50, p99 }'
}

row() { printf "%-34s %10s %9s %9s %9s\n" "$@"; }
table() {
  local title="$1"; shift
  echo; echo "$title"
  row "target" "req/s" "p50 ms" "p99 ms" "x nginx"
  local ref="" line name url rps p50 p99
  declare -A R
  for pair in "$@"; do name="${pair%%=*}"; url="${pair#*=}"; R[$name]="$(measure "$url")"; done
  for pair in "$@"; do name="${pair%%=*}"; read -r rps p50 p99 <<<"${R[$name]}"; [[ "$name" == nginx* ]] && ref="$rps"; done
  for pair in "$@"; do
    name="${pair%%=*}"; read -r rps p50 p99 <<<"${R[$name]}"
    row "$name" "$rps" "$p50" "$p99" "$(awk -v a="$rps" -v b="$ref" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
  done
}

echo "Peer benchmark on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(uname -sr)"
echo "wrk -t$THREADS -c$CONNECTIONS, ${WARMUP}s warm-up then ${DURATION}s measured per target; gateway access log: $ACCESS_LOG"
table "HTTP proxy path (GET /api/categories, small JSON body)" \
  "upstream direct=http://127.0.0.1:$UP/api/categories" \
  "nginx=http://127.0.0.1:$NGX/api/categories" \
  "haproxy=http://127.0.0.1:$HAP/api/categories" \
  "gateway=http://127.0.0.1:$GW/api/categories"
table "FastCGI path to php-fpm (4 static children, a one-line PHP script)" \
  "nginx fastcgi_pass=http://127.0.0.1:$NGX_FCGI/api/categories" \
  "gateway fastcgi=http://127.0.0.1:$GW_FCGI/api/categories"
