#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine: installs what is missing (apt),
# builds, and then runs the demo or the default test suite.
#
#   bash tests/bootstrap.sh demo    # install, build the binary only, run `edgeprobe demo`
#   bash tests/bootstrap.sh test    # install, build everything, run the default test suite
#   bash tests/bootstrap.sh build   # install, build everything
#   bash tests/bootstrap.sh package # install, build, make the Debian package edgeprobe_VERSION_ARCH.deb
#   bash tests/bootstrap.sh fuzz [SECONDS]  # install clang, fuzz every target SECONDS (60) each
#   bash tests/bootstrap.sh bench   # install the peers, build, run the benchmarks (root)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${EDGEPROBE_BUILD_DIR:-$here/build}

# What `package` needs beyond the build: dpkg-shlibdeps (dpkg-dev) turns the
# libraries the binary links into the package's Depends; lintian checks it;
# man-db renders the man page the package test reads.
package_packages=(dpkg-dev lintian man-db file)

# ca-certificates: the system roots the tls probe trusts by default; libcrypt-dev:
# libxcrypt's bcrypt and SHA-256-crypt for serve's basic-auth password hashes.
build_packages=(g++ cmake ninja-build pkg-config ca-certificates
  libboost1.81-dev libssl-dev libc-ares-dev libcli11-dev nlohmann-json3-dev doctest-dev libpugixml-dev
  libcrypt-dev)
# Real peers and tools the tests drive: unbound (DNS), dig (cross-checks),
# nftables + iproute2 (fault injection in network namespaces), jsonschema (the
# suite schema cross-check), nginx + openssl (real TLS servers for the tls probe),
# coturn (the real TURN server, and turnutils_stunclient for cross-checks),
# tshark (Wireshark's dissectors read the responders' bytes), freetds-bin + nmap
# (tsql -LH and nmap -sV read the SQL Browser responder), samba (samba-dcerpcd,
# the real endpoint mapper) + python3-impacket (hept_map cross-checks it), curl
# (an independent HTTP/NTLM client of the Exchange responder), libxml2-utils +
# perl + prometheus (xmllint, prove and promtool consume the junit, tap and
# prometheus reports; the prometheus server scrapes `serve`), chromium (renders
# the html report and serve's status page headless), systemd (systemd-analyze
# verifies the example units in docker/systemd).
test_packages=(unbound dnsutils nftables iproute2 python3 python3-jsonschema nginx openssl coturn tshark
  freetds-bin nmap samba python3-impacket curl libxml2-utils perl prometheus chromium systemd)

# libFuzzer with ASan and UBSan (tests/fuzz/run.sh).
fuzz_packages=(clang libclang-rt-14-dev)
# The tools users would otherwise run, and the floors (tests/bench/README.md).
bench_packages=(nginx unbound dnsutils monitoring-plugins-basic prometheus-blackbox-exporter curl nftables
  iproute2 python3 gcc libc-ares-dev valgrind openssl)

install_missing() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "bootstrap: installing ${missing[*]}" >&2
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "bootstrap: run as root or install: ${missing[*]}" >&2; exit 1; }
    sudo=sudo
  fi
  $sudo apt-get update -qq
  # The tests start their own unbound and nginx on loopback ports; keep the
  # packages from starting system services (nginx would take port 80) while they
  # install, unless this machine already has a policy of its own.
  local policy=/usr/sbin/policy-rc.d own_policy=""
  if [ ! -e "$policy" ]; then
    $sudo sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy"
    own_policy=1
  fi
  local status=0
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || status=$?
  [ -n "$own_policy" ] && $sudo rm -f "$policy"
  return "$status"
}

# build [TARGET]: everything, or only TARGET (the demo builds only the binary,
# not the test suite).
build() {
  cmake -S "$here" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$build_dir" -j "$(nproc)" ${1:+--target "$1"}
}

case "${1:-}" in
  demo)
    install_missing "${build_packages[@]}"
    build edgeprobe
    "$build_dir/edgeprobe" demo
    ;;
  test)
    install_missing "${build_packages[@]}" "${test_packages[@]}"
    build
    cd "$build_dir"
    ctest --output-on-failure --timeout 300
    ;;
  build)
    install_missing "${build_packages[@]}"
    build
    ;;
  package)
    install_missing "${build_packages[@]}" "${package_packages[@]}"
    build
    (cd "$build_dir" && cpack -G DEB)
    ls "$build_dir"/edgeprobe_*.deb
    ;;
  fuzz)
    install_missing "${build_packages[@]}" "${fuzz_packages[@]}"
    bash "$here/tests/fuzz/run.sh" --time "${2:-60}"
    ;;
  bench)
    install_missing "${build_packages[@]}" "${bench_packages[@]}"
    build
    bash "$here/tests/bench/run.sh" --edgeprobe "$build_dir/edgeprobe"
    ;;
  *)
    echo "usage: bash tests/bootstrap.sh demo|test|build|package|fuzz [SECONDS]|bench" >&2
    exit 2
    ;;
esac
