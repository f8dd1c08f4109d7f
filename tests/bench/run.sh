#!/usr/bin/env bash
# edgeprobe benchmarks: one command, one machine, ratios within one run.
#   sudo bash tests/bench/run.sh [--checks 10000] [--concurrency 256] [--repeat 3]
#        [--edgeprobe build/edgeprobe] [--dns-queries 10000] [--dig-queries 1000]
#        [--cold-runs 50] [--burst-checks 1000] [--tls-checks 300] [--no-profile] [--keep]
# Builds a client and a server network namespace joined by a veth pair
# (10.213.1.0/24, addresses that exist only inside them), starts nginx and
# unbound in the server namespace, runs every contender from the client
# namespace, and prints the table. Everything is torn down on exit, failure or
# Ctrl-C. Traffic goes only to addresses inside these namespaces (and to the
# exporter on the client namespace's loopback). See tests/bench/README.md.
set -euo pipefail

CHECKS=10000 CONCURRENCY=256 REPEAT=3 DNS_QUERIES=10000 DIG_QUERIES=1000 COLD_RUNS=50
BURST_CHECKS=1000 TLS_CHECKS=300
ACCURACY_CHECKS=1000 DEADLINE_CHECKS=1000 PROFILE=1 KEEP=0
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
EDGEPROBE="$ROOT/build/edgeprobe"
while (($#)); do
  case "$1" in
    --checks) CHECKS=$2; shift 2 ;;
    --concurrency) CONCURRENCY=$2; shift 2 ;;
    --repeat) REPEAT=$2; shift 2 ;;
    --edgeprobe) EDGEPROBE=$(realpath "$2"); shift 2 ;;
    --dns-queries) DNS_QUERIES=$2; shift 2 ;;
    --dig-queries) DIG_QUERIES=$2; shift 2 ;;
    --cold-runs) COLD_RUNS=$2; shift 2 ;;
    --burst-checks) BURST_CHECKS=$2; shift 2 ;;
    --tls-checks) TLS_CHECKS=$2; shift 2 ;;
    --accuracy-checks) ACCURACY_CHECKS=$2; shift 2 ;;
    --deadline-checks) DEADLINE_CHECKS=$2; shift 2 ;;
    --no-profile) PROFILE=0; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

[[ $EUID -eq 0 ]] || { echo "run as root (namespaces, nft)" >&2; exit 2; }
CHECK_TCP=/usr/lib/nagios/plugins/check_tcp
need=(ip nft nginx unbound dig curl gcc python3 openssl prometheus-blackbox-exporter "$CHECK_TCP" "$EDGEPROBE")
((PROFILE)) && need+=(valgrind callgrind_annotate)
for t in "${need[@]}"; do
  command -v "$t" >/dev/null || { echo "missing: $t (see tests/bench/README.md for the packages)" >&2; exit 2; }
done

WORK=$(mktemp -d /tmp/edgeprobe-bench-XXXXXX)
chmod 755 "$WORK"
CLI="epb-bench-cli-$$"
SRV="epb-bench-srv-$$"
PIDS=()
cleanup() {
  local rc=$?
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  # anything still running inside the lab was started by this script
  for ns in "$CLI" "$SRV"; do ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true; done
  ip netns del "$CLI" 2>/dev/null || true
  ip netns del "$SRV" 2>/dev/null || true
  if ((KEEP)); then echo "work files kept in $WORK" >&2; else rm -rf "$WORK"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

inc() { ip netns exec "$CLI" "$@"; }
ins() { ip netns exec "$SRV" "$@"; }
log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
RESULTS="$WORK/results.jsonl"
: >"$RESULTS"

# --- the lab ------------------------------------------------------------------
log "namespaces $CLI / $SRV, work dir $WORK"
ip netns add "$CLI"
ip netns add "$SRV"
inc ip link set lo up
ins ip link set lo up
ip link add bc0 netns "$CLI" type veth peer name bs0 netns "$SRV"
inc ip addr add 10.213.1.1/24 dev bc0
inc ip link set bc0 up
ins ip addr add 10.213.1.2/24 dev bs0
# One destination address per measured run: each run then has the whole port
# range to itself, and no run meets the TIME_WAIT left by the one before.
for i in $(seq 10 99); do ins ip addr add "10.213.1.$i/24" dev bs0; done
ins ip link set bs0 up
# The blackhole: the server owns 10.213.1.250 (so ARP answers) and drops
# every packet sent to it.
ins ip addr add 10.213.1.250/24 dev bs0
printf '%s\n' 'table inet bench {' ' chain input {' '  type filter hook input priority 0; policy accept;' \
  '  ip daddr 10.213.1.250 drop' ' }' '}' | ins nft -f -
inc sysctl -qw net.ipv4.ip_local_port_range="1024 65000"
ins sysctl -qw net.core.somaxconn=65535 net.ipv4.tcp_max_syn_backlog=65535
NEXT_ADDR=10
next_addr() {
  ((NEXT_ADDR <= 99)) || { echo "out of server addresses (10.213.1.10-99): lower --repeat" >&2; exit 1; }
  ADDR="10.213.1.$NEXT_ADDR"
  NEXT_ADDR=$((NEXT_ADDR + 1))
}

# nginx: one worker, one listener on port 80 for every address, and TLS on
# 443 with a throwaway self-signed certificate for bench.test.
mkdir -p "$WORK/nginx"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 90 -subj /CN=bench.test \
  -addext subjectAltName=DNS:bench.test -keyout "$WORK/nginx/key.pem" -out "$WORK/nginx/cert.pem" 2>/dev/null
cat >"$WORK/nginx/nginx.conf" <<NGINX
worker_processes 1;
worker_rlimit_nofile 65536;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 16384; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx; proxy_temp_path $WORK/nginx; fastcgi_temp_path $WORK/nginx;
  uwsgi_temp_path $WORK/nginx; scgi_temp_path $WORK/nginx;
  server { listen 80 backlog=16384 reuseport; return 204; }
  server { listen 443 ssl backlog=16384; ssl_certificate $WORK/nginx/cert.pem;
           ssl_certificate_key $WORK/nginx/key.pem; return 204; }
}
NGINX
# started with ip netns exec directly (not through a shell function) so that $!
# is the daemon itself: ip execs it.
ip netns exec "$SRV" nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" >"$WORK/nginx.out" 2>&1 &
PIDS+=($!)

# unbound: answers bench.test A from local-data, recursion to nowhere.
cat >"$WORK/unbound.conf" <<UNBOUND
server:
  interface: 10.213.1.2
  port: 53
  do-ip6: no
  num-threads: 1
  chroot: ""
  username: ""
  do-daemonize: no
  directory: "$WORK"
  pidfile: ""
  use-syslog: no
  logfile: ""
  verbosity: 0
  access-control: 10.213.1.0/24 allow
  module-config: "iterator"
  # redirect: bench.test and every name under it (n1.bench.test, ...) answer
  # the same A record, so a burst can ask distinct names.
  local-zone: "bench.test." redirect
  local-data: "bench.test. 300 IN A 10.213.1.2"
UNBOUND
ip netns exec "$SRV" unbound -d -c "$WORK/unbound.conf" >"$WORK/unbound.out" 2>&1 &
PIDS+=($!)
UNBOUND_PID=$!

gcc -O2 -o "$WORK/epoll_floor" "$HERE/epoll_floor.c"
gcc -O2 -o "$WORK/cares_floor" "$HERE/cares_floor.c" -lcares
gcc -O2 -o "$WORK/rusage" "$HERE/rusage.c"

for _ in $(seq 50); do
  inc curl -s -o /dev/null --max-time 1 http://10.213.1.2/ && break
  sleep 0.1
done
inc curl -s -o /dev/null --max-time 1 http://10.213.1.2/ || { echo "nginx did not come up" >&2; exit 1; }
for _ in $(seq 50); do
  [[ -n $(inc dig +short +tries=1 +time=1 @10.213.1.2 bench.test A 2>/dev/null) ]] && break
  sleep 0.1
done

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
MACHINE="$(nproc) CPU $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), kernel $(uname -r)"
log "load average $LOAD_BEFORE; $MACHINE"

# timed KIND NAME CHECKS OK_COMMAND NOTE CMD...: runs CMD in the client namespace
# under rusage.c: wait4()'s rusage, as GNU time gives it but to the microsecond: user+sys
# of the process and of every child it waited for, and the peak RSS of the
# largest; then OK_COMMAND prints the number of checks that passed.
timed() {
  local kind=$1 name=$2 checks=$3 okcmd=$4 note=${5:-}
  shift 5
  "$WORK/rusage" "$WORK/time.txt" ip netns exec "$CLI" "$@" >"$WORK/out.txt" 2>"$WORK/err.txt" || true
  local wall user sys rss ok
  read -r wall user sys rss < <(tail -1 "$WORK/time.txt")
  ok=$(eval "$okcmd") || true  # a contender with no pass must not end the run
  printf '{"kind":"%s","name":"%s","checks":%s,"concurrency":%s,"ok":%s,"wall":%s,"user":%s,"sys":%s,"rss_kb":%s,"note":"%s"}\n' \
    "$kind" "$name" "$checks" "$CONCURRENCY" "${ok:-0}" "$wall" "$user" "$sys" "$rss" "$note" >>"$RESULTS"
  log "$name: ok=${ok:-0}/$checks wall=${wall}s cpu=$(python3 -c "print(round($user+$sys,2))")s rss=${rss}kB"
}

# --- TCP: floor, edgeprobe, check_tcp, blackbox_exporter -----------------------
cat >"$WORK/blackbox.yml" <<'BBX'
modules:
  tcp_connect:
    prober: tcp
    timeout: 5s
BBX
ip netns exec "$CLI" prometheus-blackbox-exporter --config.file="$WORK/blackbox.yml" \
  --web.listen-address=127.0.0.1:9115 --log.level=warn >"$WORK/blackbox.log" 2>&1 &
PIDS+=($!)
BBX_PID=$!
for _ in $(seq 50); do inc curl -s -o /dev/null --max-time 1 http://127.0.0.1:9115/metrics && break; sleep 0.1; done
# the exporter's own process: ip netns exec execs it, so the pid is the same
bbx_ticks() { awk '{print $14 + $15}' "/proc/$BBX_PID/stat"; }
CLK_TCK=$(getconf CLK_TCK)

for rep in $(seq "$REPEAT"); do
  log "TCP round $rep/$REPEAT"
  next_addr
  timed tcp "epoll floor (C)" "$CHECKS" "grep -o 'ok=[0-9]*' \$WORK/out.txt | cut -d= -f2" "" \
    "$WORK/epoll_floor" "$ADDR" 80 "$CHECKS" "$CONCURRENCY"

  next_addr
  timed tcp "epoll floor + evidence (C)" "$CHECKS" "grep -o 'ok=[0-9]*' \$WORK/out.txt | cut -d= -f2" \
    "the floor plus the calls behind edgeprobe's evidence: IP_RECVERR, TCP_INFO, getsockname, the drain" \
    "$WORK/epoll_floor" "$ADDR" 80 "$CHECKS" "$CONCURRENCY" evidence

  next_addr
  python3 "$HERE/report.py" suite "$WORK/tcp.json" tcp "$ADDR:80" "$CHECKS" 5s
  timed tcp "edgeprobe run" "$CHECKS" "python3 $HERE/report.py count \$WORK/out.txt | cut -d' ' -f1" \
    "includes loading the suite and writing the JSON report" \
    "$EDGEPROBE" run "$WORK/tcp.json" --format json --concurrency "$CONCURRENCY"

  next_addr
  python3 "$HERE/report.py" suite "$WORK/tcp.json" tcp "$ADDR:80" "$CHECKS" 5s
  timed tcp "edgeprobe run --threads 1" "$CHECKS" "python3 $HERE/report.py count \$WORK/out.txt | cut -d' ' -f1" \
    "the same run on one thread: what every core adds" \
    "$EDGEPROBE" run "$WORK/tcp.json" --format json --concurrency "$CONCURRENCY" --threads 1

  next_addr
  python3 "$HERE/report.py" suite "$WORK/tcp.json" tcp "$ADDR:80" "$CHECKS" 5s
  timed tcp "edgeprobe run (nagios output)" "$CHECKS" "grep -c '^\[PASS\]' \$WORK/out.txt" \
    "the same run with one line per check instead of the JSON document" \
    "$EDGEPROBE" run "$WORK/tcp.json" --format nagios --concurrency "$CONCURRENCY"

  if ((rep == 1)); then  # ~15 ms of CPU per check: one round is enough
    next_addr
  timed tcp "check_tcp (xargs -P)" "$CHECKS" "grep -c '^TCP OK' \$WORK/out.txt" "one process per check" \
    sh -c "seq $CHECKS | xargs -P $CONCURRENCY -I{} $CHECK_TCP -H $ADDR -p 80 -t 5"
  fi

  next_addr
  # warm the exporter up (Go runtime, first connections), then count its CPU
  inc curl -s -o /dev/null "http://127.0.0.1:9115/probe?target=$ADDR:80&module=tcp_connect"
  before=$(bbx_ticks)
  timed tcp "blackbox_exporter (curl load gen)" "$CHECKS" "grep -c '^probe_success 1' \$WORK/out.txt" \
    "one curl, --parallel-max $CONCURRENCY, keep-alive" \
    curl -sS --parallel --parallel-immediate --parallel-max "$CONCURRENCY" \
    "http://127.0.0.1:9115/probe?target=$ADDR:80&module=tcp_connect&n=[1-$CHECKS]"
  after=$(bbx_ticks)
  hwm=$(awk '/VmHWM/{print $2}' "/proc/$BBX_PID/status")
  ok=$(grep -c '^probe_success 1' "$WORK/out.txt" || true)
  wall=$(tail -1 "$WORK/time.txt" | cut -d' ' -f1)
  cpu=$(python3 -c "print(($after - $before) / $CLK_TCK)")
  printf '{"kind":"tcp","name":"blackbox_exporter (exporter only)","checks":%s,"concurrency":%s,"ok":%s,"wall":%s,"user":%s,"sys":0,"rss_kb":%s,"note":"CPU from /proc/PID/stat (user+sys), %s ticks/s; RSS = VmHWM"}\n' \
    "$CHECKS" "$CONCURRENCY" "$ok" "$wall" "$cpu" "$hwm" "$CLK_TCK" >>"$RESULTS"
  log "blackbox_exporter (exporter only): cpu=${cpu}s hwm=${hwm}kB"
done

# --- timing accuracy -------------------------------------------------------------
log "timing accuracy"
next_addr
python3 "$HERE/report.py" suite "$WORK/acc.json" tcp "$ADDR:80" "$ACCURACY_CHECKS" 5s
inc "$EDGEPROBE" run "$WORK/acc.json" --format json --concurrency "$ACCURACY_CHECKS" >"$WORK/acc-result.json" || true
python3 "$HERE/report.py" accuracy "$WORK/acc-result.json" "$WORK/acc.out"
python3 -c "import json,sys; d=json.load(open('$WORK/acc.out')); d.update(kind='accuracy', concurrency=$ACCURACY_CHECKS); print(json.dumps(d))" >>"$RESULTS"

# --- deadline precision ----------------------------------------------------------
log "deadline precision"
python3 "$HERE/report.py" suite "$WORK/dl.json" tcp "10.213.1.250:80" "$DEADLINE_CHECKS" 1s
start=$(date +%s.%N)
inc "$EDGEPROBE" run "$WORK/dl.json" --format json --concurrency "$DEADLINE_CHECKS" >"$WORK/dl-result.json" || true
end=$(date +%s.%N)
python3 "$HERE/report.py" deadline "$WORK/dl-result.json" "$WORK/dl.out" 1000 1050
python3 -c "import json; d=json.load(open('$WORK/dl.out')); d.update(kind='deadline', concurrency=$DEADLINE_CHECKS, wall=$end-$start); print(json.dumps(d))" >>"$RESULTS"

# --- cold start --------------------------------------------------------------------
log "cold start ($COLD_RUNS runs each)"
next_addr
inc python3 "$HERE/report.py" cold "$COLD_RUNS" "$WORK/cold.out" \
  "$EDGEPROBE check tcp $ADDR:80 --format json" "$CHECK_TCP -H $ADDR -p 80 -t 5"
python3 -c "import json; d=json.load(open('$WORK/cold.out')); print(json.dumps({'kind':'cold','edgeprobe':d['a'],'check_tcp':d['b']}))" >>"$RESULTS"

# --- DNS ---------------------------------------------------------------------------
log "DNS"
ub_ticks() { awk '{print $14 + $15}' "/proc/$UNBOUND_PID/stat"; }
timed dns "c-ares floor (C)" "$DNS_QUERIES" "grep -o 'ok=[0-9]*' \$WORK/out.txt | cut -d= -f2" "" \
  "$WORK/cares_floor" 10.213.1.2 bench.test "$DNS_QUERIES" "$CONCURRENCY"
python3 "$HERE/report.py" suite "$WORK/dns.json" dns bench.test "$DNS_QUERIES" 5s '{"type": "A", "resolver": "10.213.1.2"}'
timed dns "edgeprobe run (dns)" "$DNS_QUERIES" "python3 $HERE/report.py count \$WORK/out.txt | cut -d' ' -f1" "" \
  "$EDGEPROBE" run "$WORK/dns.json" --format json --concurrency "$CONCURRENCY"
timed dns "dig in a loop (sequential)" "$DIG_QUERIES" "grep -c '^10.213.1.2\$' \$WORK/out.txt" "" \
  sh -c "for i in \$(seq $DIG_QUERIES); do dig +short +tries=1 +time=2 @10.213.1.2 bench.test A; done"

# --- bursts: the tool's own queue and its own socket -------------------------------
# UdpRcvbufErrors in the client namespace's /proc/net/snmp: datagrams the kernel
# dropped because a socket's receive buffer was full (edgeprobe's own loss).
rcvbuf_errors() { inc awk '/^Udp:/ { if (h) { print $6; exit } h = 1 }' /proc/net/snmp; }
burst() { # LABEL SUITE-ARGS...: one edgeprobe run at CONCURRENCY, its phases and the drops
  local label=$1 suite=$2 phase=$3; shift 3
  local before after
  before=$(rcvbuf_errors)
  inc "$EDGEPROBE" run "$suite" --format json --concurrency "$CONCURRENCY" "$@" >"$WORK/burst.json" || true
  after=$(rcvbuf_errors)
  python3 "$HERE/report.py" burst "$WORK/burst.json" "$label" "$phase" "$((after - before))" "$CONCURRENCY" >>"$RESULTS"
}
log "bursts: $BURST_CHECKS dns checks, $TLS_CHECKS tls checks at concurrency $CONCURRENCY"
python3 "$HERE/report.py" suite "$WORK/burst-distinct.json" dns "n{i}.bench.test" "$BURST_CHECKS" 5s \
  '{"type": "A", "resolver": "10.213.1.2"}'
burst "dns, $BURST_CHECKS distinct names" "$WORK/burst-distinct.json" dns
python3 "$HERE/report.py" suite "$WORK/burst-same.json" dns bench.test "$BURST_CHECKS" 5s \
  '{"type": "A", "resolver": "10.213.1.2"}'
burst "dns, one name $BURST_CHECKS times" "$WORK/burst-same.json" dns
burst "dns, distinct names, --threads 1" "$WORK/burst-distinct.json" dns --threads 1
python3 "$HERE/report.py" suite "$WORK/burst-tls.json" tls "10.213.1.2:443" "$TLS_CHECKS" 5s \
  "{\"sni\": \"bench.test\", \"ca_file\": \"$WORK/nginx/cert.pem\"}"
burst "tls, $TLS_CHECKS checks" "$WORK/burst-tls.json" tls
burst "tls, $TLS_CHECKS checks, --threads 1" "$WORK/burst-tls.json" tls --threads 1

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
printf '{"kind":"meta","date":"%s","machine":"%s","load_before":"%s","load_after":"%s"}\n' \
  "$(date -u +%Y-%m-%dT%H:%MZ)" "$MACHINE" "$LOAD_BEFORE" "$LOAD_AFTER" >>"$RESULTS"

echo
python3 "$HERE/report.py" table "$RESULTS" | tee "$WORK/table.txt"

# --- profile -----------------------------------------------------------------------
if ((PROFILE)); then
  log "callgrind: 1000 checks at concurrency $CONCURRENCY"
  next_addr
  python3 "$HERE/report.py" suite "$WORK/prof.json" tcp "$ADDR:80" 1000 30s
  (cd "$WORK" && inc valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind.out" \
    "$EDGEPROBE" run "$WORK/prof.json" --format json --concurrency "$CONCURRENCY" >/dev/null 2>"$WORK/valgrind.log") || true
  # (into files first: head closing a pipe must not kill the script under pipefail)
  callgrind_annotate --inclusive=no "$WORK/callgrind.out" >"$WORK/callgrind-self.txt" 2>/dev/null || true
  callgrind_annotate --inclusive=yes "$WORK/callgrind.out" >"$WORK/callgrind-incl.txt" 2>/dev/null || true
  short() { sed -n '/file:function/,$p' "$1" | grep -v '^$' | sed 's/nlohmann::json_abi_v3_11_2::basic_json<[^ ]*/json/g' | cut -c1-200 | head -"$2" || true; }
  echo
  echo "callgrind, 1000 checks at concurrency $CONCURRENCY: top functions by exclusive instructions"
  short "$WORK/callgrind-self.txt" 25
  echo
  echo "callgrind: top functions by inclusive instructions"
  short "$WORK/callgrind-incl.txt" 70
  if ((KEEP)); then echo "callgrind output: $WORK/callgrind.out"; fi
fi
