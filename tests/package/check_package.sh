#!/usr/bin/env bash
# Builds the Debian package from a build directory (CPack, as `bash
# tests/bootstrap.sh package` does) and checks it as a user and Debian would:
# its file list, its metadata (Depends covering every library the binary links,
# found through dpkg), lintian without an error, and what it installs working —
# the binary, the man page, the bash completion.
#
#   bash tests/package/check_package.sh BUILD_DIR
set -uo pipefail
build=$(cd "$1" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
passes=0
check() { # check DESCRIPTION COMMAND...
  local what=$1
  shift
  if "$@"; then passes=$((passes + 1)); else echo "FAIL: $what" >&2; failures=$((failures + 1)); fi
}

(cd "$build" && cpack -G DEB >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log" >&2; echo "FAIL: cpack" >&2; exit 1; }
version=$("$build/edgeprobe" --version)
deb="$build/edgeprobe_${version}_$(dpkg --print-architecture).deb"
check "the package is named edgeprobe_VERSION_ARCH.deb ($deb)" test -f "$deb"
[ -f "$deb" ] || exit 1

# What it holds.
dpkg-deb -c "$deb" | awk '{print $6}' >"$work/files"
for path in ./usr/bin/edgeprobe ./usr/share/man/man1/edgeprobe.1.gz \
            ./usr/share/bash-completion/completions/edgeprobe \
            ./usr/share/edgeprobe/suites/edgeprobe.schema.json ./usr/share/edgeprobe/suites/lync-external.json \
            ./usr/share/doc/edgeprobe/copyright ./usr/share/doc/edgeprobe/changelog.gz \
            ./usr/share/doc/edgeprobe/suite-format.md ./usr/share/doc/edgeprobe/probes/tls.md; do
  check "the package holds $path" grep -qx "$path" "$work/files"
done
for suite in $(cd "$(dirname "$0")/../../suites" && ls *.json); do
  check "the package holds suite $suite" grep -qx "./usr/share/edgeprobe/suites/$suite" "$work/files"
done

# Its metadata: Depends names the package of every library the binary links.
check "Package: edgeprobe" test "$(dpkg-deb -f "$deb" Package)" = edgeprobe
check "Version: $version" test "$(dpkg-deb -f "$deb" Version)" = "$version"
check "Architecture: $(dpkg --print-architecture)" test "$(dpkg-deb -f "$deb" Architecture)" = "$(dpkg --print-architecture)"
check "Section: net" test "$(dpkg-deb -f "$deb" Section)" = net
check "a Maintainer" test -n "$(dpkg-deb -f "$deb" Maintainer)"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for lib in $(ldd "$build/edgeprobe" | awk '$3 ~ /^\// {print $3}'); do
  package=$(dpkg -S "$(readlink -f "$lib")" 2>/dev/null | head -n1 | cut -d: -f1)
  [ -n "$package" ] || package=$(dpkg -S "$lib" 2>/dev/null | head -n1 | cut -d: -f1)
  check "Depends names $package (for $lib)" grep -qx -- "$package" <(sed 's/ *([^)]*)//g; s/, */\n/g' <<<"$depends")
done

# lintian: no error (warnings are listed for whoever reads the log).
lintian --tag-display-limit 0 "$deb" >"$work/lintian" 2>&1
cat "$work/lintian"
check "lintian reports no error" bash -c "! grep -q '^E:' '$work/lintian'"

# What it installs works.
dpkg-deb -x "$deb" "$work/root"
check "the installed binary runs" test "$("$work/root/usr/bin/edgeprobe" --version)" = "$version"
check "the installed suites validate" "$work/root/usr/bin/edgeprobe" validate "$work/root/usr/share/edgeprobe/suites/demo.json"
man -l "$work/root/usr/share/man/man1/edgeprobe.1.gz" 2>"$work/man.err" | col -b >"$work/man.txt"
for section in NAME SYNOPSIS COMMANDS PROBES "EXIT STATUS"; do
  check "the man page has $section" grep -q "^$section" "$work/man.txt"
done
check "the man page describes listen --probe-responders" grep -q -- "--probe-responders" "$work/man.txt"
check "man renders the page without a warning" test ! -s "$work/man.err"
complete_words() { # the completions bash offers for the words given, the last being completed
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _edgeprobe; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$work/root/usr/share/bash-completion/completions/edgeprobe" "$@"
}
check "completion: edgeprobe ch → check" test "$(complete_words edgeprobe ch)" = check
check "completion: edgeprobe check t → tcp tls turn" test "$(complete_words edgeprobe check t | tr '\n' ' ')" = "tcp tls turn "
check "completion: edgeprobe run --fo → --format" test "$(complete_words edgeprobe run --fo)" = --format
check "completion: edgeprobe run --format j → json junit" test "$(complete_words edgeprobe run --format j | tr '\n' ' ')" = "json junit "
check "completion: edgeprobe listen --probe → --probe-responders" test "$(complete_words edgeprobe listen --probe)" = --probe-responders

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
