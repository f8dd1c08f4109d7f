#!/usr/bin/env bash
# The fault lab (tests/lab/README.md): network namespaces joined by veth pairs,
# real servers inside them (unbound, nginx, coturn, Samba's samba-dcerpcd) and
# edgeprobe's own responders, and faults applied with nftables on a router
# namespace and on the hosts themselves.
#
#   fault_lab.sh up DIR          build the lab; DIR (new or empty) holds its state
#   fault_lab.sh faults DIR      (re)load every nftables fault (counters and numgen reset)
#   fault_lab.sh down DIR        tear everything down; never fails, safe to repeat
#   fault_lab.sh run DIR CMD...  up, CMD, down, always; CMD gets FAULT_LAB_DIR,
#                                FAULT_LAB_CLIENT and FAULT_LAB_PORTS (namespace names)
#   fault_lab.sh scenarios DIR [OPTIONS...]
#                                edgeprobe run of tests/lab/scenarios/ in the lab
#                                (OPTIONS go to `edgeprobe run`, e.g. --format json)
#
# `up` tears down what it built when any step fails. FAULT_LAB_FAIL_AT=STEP makes
# that step fail on purpose (steps: namespaces pki unbound nginx coturn samba
# responders faults), to prove the teardown. Root only. Every address is inside
# the lab's namespaces: 10.66.0.0/16, of which the client routes only 10.66.0.0/17.
set -euo pipefail

readonly MARK=.fault-lab
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly HERE
readonly ROLES="client ports router server"

die() { echo "fault_lab: $*" >&2; exit 1; }

usage() { die "usage: $0 up DIR | faults DIR | down DIR | run DIR COMMAND... | scenarios DIR [OPTIONS...]"; }

# Namespace names: "fl<id>-<role>", the id kept in DIR so `down` finds them.
ns() { echo "fl$(cat "$DIR/id")-$1"; }
in_ns() { local role=$1; shift; ip netns exec "$(ns "$role")" "$@"; }

show_logs() {
  local f
  for f in "$DIR"/log/*.log; do
    [[ -s "$f" ]] && { echo "--- $f" >&2; tail -n 8 "$f" >&2; }
  done
  return 0
}

step() {
  echo "fault_lab: $1 (${SECONDS}s)" >&2
  if [[ "${FAULT_LAB_FAIL_AT:-}" == "$1" ]]; then die "failing at step '$1' on purpose (FAULT_LAB_FAIL_AT)"; fi
}

# Starts a long-running server inside a namespace, detached, its output in
# DIR/log/NAME.log. `down` ends it with every other process of the namespace.
start() {
  local role=$1 name=$2; shift 2
  setsid ip netns exec "$(ns "$role")" "$@" </dev/null >"$DIR/log/$name.log" 2>&1 &
  echo $! >"$DIR/run/$name.pid"
}

# Waits up to 15 s until the bash command succeeds inside ROLE's namespace.
wait_for() {
  local what=$1 role=$2 command=$3
  local i
  for ((i = 0; i < 150; i++)); do
    if in_ns "$role" timeout 2 bash -c "$command" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  die "$what did not come up (logs in $DIR/log)"
}

# A bash command that connects to ADDRESS PORT.
tcp_open() { echo "exec 3<>/dev/tcp/$1/$2"; }

# --- namespaces and links ---------------------------------------------------

make_namespaces() {
  step namespaces
  local role
  for role in $ROLES; do
    ip netns add "$(ns "$role")"
    in_ns "$role" ip link set lo up
  done
  # The veths are created directly inside the namespaces: nothing in the host's own.
  ip link add c0 netns "$(ns client)" type veth peer name r0 netns "$(ns router)"
  ip link add s0 netns "$(ns server)" type veth peer name r1 netns "$(ns router)"
  ip link add p0 netns "$(ns ports)" type veth peer name r2 netns "$(ns router)"
  in_ns client ip addr add 10.66.1.2/24 dev c0
  in_ns router ip addr add 10.66.1.1/24 dev r0
  in_ns router ip addr add 10.66.2.1/24 dev r1
  in_ns router ip addr add 10.66.3.1/24 dev r2
  in_ns ports ip addr add 10.66.3.2/24 dev p0
  local a
  for a in 10 20 21 22 23 24 30 31 32 33 40 41 42 43 50 51 60 61 70; do
    in_ns server ip addr add "10.66.2.$a/24" dev s0
  done
  for role in client router server ports; do
    # shellcheck disable=SC2016 # expanded inside the namespace
    in_ns "$role" sh -c 'for l in $(ls /sys/class/net); do ip link set "$l" up; done'
  done
  in_ns router sysctl -q -w net.ipv4.ip_forward=1
  # Many ICMP errors in quick succession; the default rate limit would swallow some.
  in_ns router sysctl -q -w net.ipv4.icmp_ratelimit=0
  in_ns server sysctl -q -w net.ipv4.icmp_ratelimit=0
  # No default route: 10.66.200.0/24 stays unrouted for the no-route scenario.
  in_ns client ip route add 10.66.0.0/17 via 10.66.1.1
  in_ns ports ip route add 10.66.0.0/17 via 10.66.3.1
  in_ns server ip route add 10.66.0.0/17 via 10.66.2.1
  # Ephemeral ports above the source-port sweep's 41000-41005.
  in_ns client sysctl -q -w net.ipv4.ip_local_port_range="50000 60999"
  # This host is out of ephemeral ports: two of them, both to be held below.
  in_ns ports sysctl -q -w net.ipv4.ip_local_port_range="40000 40001"
}

# --- certificates -------------------------------------------------------------

# leaf NAME SAN-LIST DAYS ISSUER
leaf() {
  local name=$1 san=$2 days=$3 issuer=$4 p=$DIR/pki
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$p/$name.key" \
    -out "$p/$name.csr" -subj "/O=edgeprobe fault lab/CN=${san%%,*}" 2>/dev/null
  printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\nbasicConstraints=critical,CA:false\n' \
    "DNS:${san//,/,DNS:}" >"$p/$name.ext"
  openssl x509 -req -in "$p/$name.csr" -CA "$p/$issuer.pem" -CAkey "$p/$issuer.key" -CAcreateserial \
    -days "$days" -extfile "$p/$name.ext" -out "$p/$name.pem" 2>/dev/null
}

root() {
  local name=$1 p=$DIR/pki
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$p/$name.key" -out "$p/$name.pem" \
    -subj "/O=edgeprobe fault lab/CN=$name" -days 30 -addext "basicConstraints=critical,CA:true" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}

make_pki() {
  step pki
  local p=$DIR/pki
  mkdir -p "$p"
  root lab-root     # trusted by the scenarios (ca_file)
  root other-root   # trusted by nobody
  leaf good www.lab.test,good.lab.test 30 lab-root
  leaf other other.lab.test 30 lab-root
  leaf expired expired.lab.test -1 lab-root # notAfter a day ago
  leaf untrusted untrusted.lab.test 30 other-root
  leaf mtls mtls.lab.test 30 lab-root
  leaf old old.lab.test 30 lab-root
  leaf client client.lab.test 30 lab-root
  # A client CA list of 80 roots with long names (about 20 KB of DER names,
  # past Schannel's 16 KB), all on one key: only the names matter.
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$p/many.key" 2>/dev/null
  : >"$p/client-cas.pem"
  cat "$p/lab-root.pem" >>"$p/client-cas.pem"
  local i
  for ((i = 0; i < 80; i++)); do
    openssl req -new -x509 -key "$p/many.key" -days 30 -subj \
      "/C=NL/O=Fault Lab Trust Services Number $i Incorporated/OU=Certification Authorities Division $i/CN=Fault Lab Client Authentication Root Authority $i/L=Amsterdam Zuidoost Business District/ST=Noord-Holland" \
      2>/dev/null >>"$p/client-cas.pem"
  done
}

# --- servers --------------------------------------------------------------------

make_unbound() {
  step unbound
  local d=$DIR/unbound
  mkdir -p "$d"
  cat >"$d/lab.zone" <<'EOF'
$ORIGIN lab.test.
@ 300 IN SOA ns.lab.test. admin.lab.test. 2026112301 3600 600 86400 300
@ 300 IN NS ns
ns 300 IN A 10.66.2.10
; round robin: 10.66.2.31 has nothing listening (refuses)
rr 300 IN A 10.66.2.30
rr 300 IN A 10.66.2.31
rr 300 IN A 10.66.2.32
; www's certificate is on 10.66.2.20, but DNS points at the listener for other.lab.test
www 300 IN A 10.66.2.21
good 300 IN A 10.66.2.20
other 300 IN A 10.66.2.21
expired 300 IN A 10.66.2.22
untrusted 300 IN A 10.66.2.22
mtls 300 IN A 10.66.2.23
old 300 IN A 10.66.2.24
sql 300 IN A 10.66.2.40
v6only 300 IN AAAA fd00:66::1
_sip._tls 300 IN SRV 0 5 443 www
_turn._udp 300 IN SRV 10 5 3478 turn
turn 300 IN A 10.66.2.60
EOF
  cat >"$d/unbound.conf" <<EOF
server:
  interface: 10.66.2.10
  port: 53
  do-ip6: no
  chroot: ""
  username: ""
  do-daemonize: no
  directory: "$d"
  pidfile: ""
  use-syslog: no
  logfile: ""
  verbosity: 0
  access-control: 10.66.0.0/16 allow
  module-config: "iterator"
  local-zone: "test." nodefault
  local-zone: "refused.test." refuse
  do-not-query-localhost: no
  # Give up on an unreachable server in well under a second (SERVFAIL scenario).
  unknown-server-time-limit: 100
  infra-cache-max-rtt: 400
auth-zone:
  name: "lab.test."
  zonefile: "$d/lab.zone"
  for-downstream: yes
  for-upstream: yes
  fallback-enabled: no
# Delegated to 10.66.4.1, which the router has no route to (ICMP net unreachable): SERVFAIL.
stub-zone:
  name: "broken.test."
  stub-addr: 10.66.4.1
forward-zone:
  name: "."
  forward-addr: 127.0.0.1@9
EOF
  start server unbound unbound -d -c "$d/unbound.conf"
  wait_for unbound client "dig @10.66.2.10 +time=1 +tries=1 +short ns.lab.test A | grep -q 10.66.2.10"
}

make_nginx() {
  step nginx
  local d=$DIR/nginx p=$DIR/pki
  mkdir -p "$d"
  # The untrusted leaf with its (self-signed, unknown) root, as a private CA's server sends it.
  cat "$p/untrusted.pem" "$p/other-root.pem" >"$p/untrusted-chain.pem"
  cp "$p/untrusted.key" "$p/untrusted-chain.key"
  server_block() { # ADDRESS:PORT CERT [directives]
    printf ' server {\n  listen %s ssl;\n  ssl_certificate %s/%s.pem;\n  ssl_certificate_key %s/%s.key;\n  %s\n  location / { return 200 "ok\\n"; }\n }\n' \
      "$1" "$p" "$2" "$p" "$2" "${3:-ssl_protocols TLSv1.2 TLSv1.3;}"
  }
  {
    printf 'daemon off;\nmaster_process off;\nworker_processes 1;\npid %s/nginx.pid;\nerror_log %s/error.log;\n' "$d" "$d"
    printf 'events { worker_connections 256; }\nhttp {\n access_log off;\n'
    local t
    for t in client_body proxy fastcgi uwsgi scgi; do printf ' %s_temp_path %s/%s;\n' "$t" "$d" "$t"; done
    server_block 10.66.2.20:443 good
    server_block 10.66.2.21:443 other
    server_block 10.66.2.22:443 expired
    server_block 10.66.2.22:8443 untrusted-chain
    server_block 10.66.2.22:8444 untrusted
    server_block 10.66.2.20:8443 good
    server_block 10.66.2.23:443 mtls "ssl_protocols TLSv1.2 TLSv1.3; ssl_client_certificate $p/client-cas.pem; ssl_verify_client on;"
    server_block 10.66.2.24:443 old "ssl_protocols TLSv1.2;"
    # Plain HTTP: a reverse proxy whose /app/ backend (10.66.2.21:8081) is
    # black-holed, so nginx holds the request while it tries to connect; 8080
    # is the same site behind an IPS that resets requests (router rules).
    printf ' server {\n  listen 10.66.2.20:80;\n  listen 10.66.2.20:8080;\n  location / { return 200 "ok\\n"; }\n'
    printf '  location /app/ { proxy_pass http://10.66.2.21:8081; proxy_connect_timeout 30s; }\n }\n'
    printf '}\n'
  } >"$d/nginx.conf"
  start server nginx nginx -p "$d" -e "$d/error.log" -c "$d/nginx.conf"
  wait_for nginx client "$(tcp_open 10.66.2.24 443)"
}

make_coturn() {
  step coturn
  local d=$DIR/coturn
  mkdir -p "$d"
  cat >"$d/turnserver.conf" <<EOF
listening-ip=10.66.2.60
listening-ip=10.66.2.61
listening-port=3478
relay-ip=10.66.2.60
min-port=49160
max-port=49200
realm=lab.test
lt-cred-mech
user=alice:secret
fingerprint
no-tls
no-dtls
no-cli
no-multicast-peers
pidfile=$d/turnserver.pid
log-file=$d/turn.log
simple-log
no-stdout-log
EOF
  start server coturn turnserver -c "$d/turnserver.conf"
  wait_for coturn client "$(tcp_open 10.66.2.60 3478)"
}

make_samba() {
  step samba
  local d=$DIR/samba sub
  for sub in private lock state cache run ncalrpc log; do mkdir -p "$d/$sub"; done
  cat >"$d/smb.conf" <<EOF
[global]
  server role = standalone server
  workgroup = FAULTLAB
  netbios name = FAULTLAB
  interfaces = 10.66.2.50 10.66.2.51
  bind interfaces only = yes
  rpc start on demand helpers = no
  private dir = $d/private
  lock directory = $d/lock
  state directory = $d/state
  cache directory = $d/cache
  pid directory = $d/run
  ncalrpc dir = $d/ncalrpc
  log file = $d/log/log.%m
  max log size = 0
  log level = 1
  disable spoolss = yes
  load printers = no
  printcap name = /dev/null
EOF
  start server samba /usr/libexec/samba/samba-dcerpcd --libexec-rpcds -s "$d/smb.conf" -F --no-process-group
  wait_for samba-dcerpcd client "$(tcp_open 10.66.2.50 135)"
  wait_for samba-dcerpcd client "$(tcp_open 10.66.2.51 135)"
}

make_responders() {
  step responders
  local ep=${EDGEPROBE:-$HERE/../../build/edgeprobe}
  [[ -x "$ep" ]] || die "no edgeprobe binary at $ep (set EDGEPROBE)"
  start server listen-tcp "$ep" listen --address 10.66.2.30 --address 10.66.2.32 --address 10.66.2.33 \
    --tcp 9000,9002,9006,9007,9008,9009
  # A clustered SQL Server: the Browser answers from the node's address, 10.66.2.41.
  start server listen-cluster "$ep" listen --address 10.66.2.40 --sqlbrowser 1434 \
    --sql-instance SALES=14330 --reply-from 10.66.2.41
  start server listen-sql "$ep" listen --address 10.66.2.43 --sqlbrowser 1434 \
    --sql-instance SALES=14340 --sql-instance HR=14341
  # A Browser that the firewall hides (UDP 1434 dropped).
  start server listen-quiet "$ep" listen --address 10.66.2.42 --sqlbrowser 1434 --sql-instance SALES=14350
  start server listen-udp "$ep" listen --address 10.66.2.70 --udp 7000,7002
  local f
  for f in listen-tcp listen-cluster listen-sql listen-quiet listen-udp; do
    wait_for "$f" server "grep -q '^ready' '$DIR/log/$f.log'"
  done
  # This host out of ephemeral ports: both of the ports namespace's two are held.
  start ports port-holder bash -c 'exec 3<>/dev/tcp/10.66.2.30/9000 4<>/dev/tcp/10.66.2.30/9000; exec sleep infinity'
  # shellcheck disable=SC2016 # expanded inside the namespace
  wait_for port-holder ports '[ "$(ss -Htn state established | wc -l)" -ge 2 ]'
}

# --- faults ---------------------------------------------------------------------

load_faults() {
  step faults
  in_ns router nft flush ruleset
  in_ns router nft -f - <<'EOF'
table inet lab {
  # Asymmetric UDP replies: 10.66.9.60 is rewritten to the relay statelessly, so
  # the relay's answer comes back from 10.66.2.60, not from the address asked.
  chain raw_pre {
    type filter hook prerouting priority raw; policy accept;
    ip daddr 10.66.9.60 udp dport 3478 notrack ip daddr set 10.66.2.60
  }
  chain mangle_fwd {
    type filter hook forward priority mangle; policy accept;
    # Small MSS: a clamping device on the path (VPN, PPPoE).
    ip daddr 10.66.2.30 tcp dport 9008 tcp flags syn tcp option maxseg size set 536
    ip saddr 10.66.2.30 tcp sport 9008 tcp flags syn tcp option maxseg size set 536
    # Window rewrite: the peer seems to advertise a zero receive window.
    ip saddr 10.66.2.30 tcp sport 9007 tcp window set 0
  }
  chain forward {
    type filter hook forward priority filter; policy accept;
    # SYN-ACKs lost on the way back; the server sees the SYNs.
    ip saddr 10.66.2.30 tcp sport 9002 tcp flags & (syn | ack) == syn | ack drop
    # A filtering router answering with ICMP errors.
    ip daddr 10.66.2.30 tcp dport 9003 reject with icmp type host-unreachable
    ip daddr 10.66.2.30 tcp dport 9004 reject with icmp type net-unreachable
    ip daddr 10.66.2.30 tcp dport 9005 reject with icmp type admin-prohibited
    # An IPS killing the connection just after the handshake.
    ip daddr 10.66.2.30 tcp dport 9006 tcp flags & (syn | ack) == ack reject with tcp reset
    # The first SYN of the run is lost: a 1 s retransmission.
    ip daddr 10.66.2.30 tcp dport 9009 tcp flags syn numgen inc mod 1000000 0 drop
    # An IPS resetting HTTP requests (their segment with data) to 10.66.2.20:8080.
    ip daddr 10.66.2.20 tcp dport 8080 tcp flags & psh == psh reject with tcp reset
    # An IPS black-holing the ClientHello (its first segment with data) after the TCP handshake.
    ip daddr 10.66.2.20 tcp dport 8443 ip length > 120 drop
    # SQL: the instance's TCP port is closed on the firewall, UDP 1434 open.
    ip daddr 10.66.2.43 tcp dport 14341 drop
    ip daddr 10.66.2.42 udp dport 1434 drop
    # RPC: 135 open, the dynamic range not.
    ip daddr 10.66.2.51 tcp dport != 135 drop
    # UDP silently dropped: a relay, a service, a resolver.
    ip daddr 10.66.2.61 udp dport 3478 drop
    ip daddr 10.66.2.70 udp dport 7002 drop
    ip daddr 10.66.2.11 udp dport 53 drop
    ip daddr 10.66.2.11 tcp dport 53 drop
  }
  chain nat_pre {
    type nat hook prerouting priority dstnat; policy accept;
    # A load balancer's virtual address in front of the endpoint mapper.
    ip daddr 10.66.9.50 meta l4proto tcp dnat ip to 10.66.2.50
  }
  chain nat_post {
    type nat hook postrouting priority srcnat; policy accept;
    ip daddr 10.66.2.33 masquerade
  }
}
EOF
  in_ns server nft flush ruleset
  in_ns server nft -f - <<'EOF'
table inet host {
  counter syn_9002 {}
  chain input {
    type filter hook input priority filter; policy accept;
    # Evidence that the SYNs of the lost-SYN-ACK story arrive.
    tcp dport 9002 tcp flags & (syn | ack) == syn counter name "syn_9002"
    # A host policy (as Windows IPsec rules do) dropping some source ports.
    ip daddr 10.66.2.32 tcp dport 9000 tcp sport { 41002, 41003 } drop
    # The reverse proxy's backend is black-holed: nginx waits on its connect.
    ip daddr 10.66.2.21 tcp dport 8081 drop
  }
}
EOF
}

# --- up, down -------------------------------------------------------------------

up() {
  [[ $EUID -eq 0 ]] || die "needs root (network namespaces, nftables)"
  local t
  for t in ip nft openssl unbound nginx turnserver dig ss /usr/libexec/samba/samba-dcerpcd; do
    command -v "$t" >/dev/null || die "missing: $t"
  done
  if [[ -e "$DIR" && ( ! -d "$DIR" || -n "$(ls -A "$DIR")" ) ]]; then
    die "$DIR exists and is not an empty directory"
  fi
  mkdir -p "$DIR"
  : >"$DIR/$MARK"
  echo "$$" >"$DIR/id"
  echo "fault_lab: lab id $$ (namespaces fl$$-*)" >&2
  mkdir -p "$DIR/log" "$DIR/run"
  # Any failure from here on (a command, or die) exits: tear down what was built.
  trap 'echo "fault_lab: a step failed; tearing down" >&2; show_logs; down' EXIT
  make_namespaces
  make_pki
  make_unbound
  make_nginx
  make_coturn
  make_samba
  make_responders
  load_faults
  trap - EXIT
  echo "fault_lab: up ($(ns client) $(ns router) $(ns server) $(ns ports))" >&2
}

down() {
  set +e
  [[ -f "$DIR/$MARK" ]] || { echo "fault_lab: $DIR is not a fault lab; nothing to do" >&2; return 0; }
  local role name pids
  if [[ -f "$DIR/id" ]]; then
    for role in $ROLES; do
      name=$(ns "$role")
      [[ -e "/run/netns/$name" ]] || continue
      # Every process inside the namespace, whoever started it (samba's helpers too).
      pids=$(ip netns pids "$name" 2>/dev/null)
      # shellcheck disable=SC2086 # one argument per pid
      [[ -n "$pids" ]] && kill -TERM $pids 2>/dev/null
    done
    for _ in $(seq 30); do
      pids=""
      for role in $ROLES; do
        name=$(ns "$role")
        [[ -e "/run/netns/$name" ]] && pids+=$(ip netns pids "$name" 2>/dev/null)
      done
      [[ -z "$pids" ]] && break
      sleep 0.1
    done
    for role in $ROLES; do
      name=$(ns "$role")
      [[ -e "/run/netns/$name" ]] || continue
      pids=$(ip netns pids "$name" 2>/dev/null)
      # shellcheck disable=SC2086 # one argument per pid
      [[ -n "$pids" ]] && kill -KILL $pids 2>/dev/null
      # Deleting a namespace deletes the veth ends inside it.
      ip netns del "$name"
    done
  fi
  # The wrappers started with setsid (ip netns exec) have exec'd into the servers: gone with them.
  wait 2>/dev/null
  rm -rf "$DIR"
  echo "fault_lab: down" >&2
  return 0
}


main() {
  [[ $# -ge 2 ]] || usage
  # Ctrl-C, SIGTERM, a closed terminal: exit, so the EXIT traps tear down.
  trap 'exit 130' INT
  trap 'exit 143' TERM HUP
  local cmd=$1
  DIR=$(realpath -m "$2")
  shift 2
  case "$cmd" in
    up) up ;;
    faults) [[ -f "$DIR/$MARK" ]] || die "$DIR is not a fault lab"; load_faults ;;
    down) down ;;
    run)
      [[ $# -ge 1 ]] || usage
      up
      trap down EXIT
      FAULT_LAB_DIR=$DIR FAULT_LAB_CLIENT=$(ns client) FAULT_LAB_PORTS=$(ns ports) "$@"
      ;;
    scenarios)
      [[ -f "$DIR/$MARK" ]] || die "$DIR is not a fault lab"
      local ep=${EDGEPROBE:-$HERE/../../build/edgeprobe} s=$HERE/scenarios rc=0
      load_faults 2>/dev/null
      in_ns client "$ep" run "$s"/{dns,tcp,tls,http,udp,rpc}.json --var pki="$DIR/pki" "$@" || rc=$?
      local ports_rc=0
      in_ns ports "$ep" run "$s/ports.json" "$@" || ports_rc=$?
      return $((rc > ports_rc ? rc : ports_rc))
      ;;
    *) usage ;;
  esac
}

main "$@"
