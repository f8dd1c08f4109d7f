#!/usr/bin/env bash
# Writes edgeprobe(1) from the binary's own help, so the man page says what the
# binary does: `edgeprobe --help` for the commands and exit status, `edgeprobe
# COMMAND --help` for each command, `edgeprobe probes` for the probes.
#
#   bash cmake/make_manpage.sh BINARY OUTPUT
set -euo pipefail
bin=$1
out=$2

# roff: a backslash is \e, a '-' is \- (an ASCII hyphen-minus, so options can
# be searched and copied), and a line may not start with '.' or "'".
roff() { sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"; }

help=$("$bin" --help)
version=$("$bin" --version)
summary=$(printf '%s\n' "$help" | head -n 1 | sed 's/^edgeprobe: //')
# "Subcommands:" lists "  NAME   what it does", one a line, up to a blank line.
commands=$(printf '%s\n' "$help" | sed -n '/^Subcommands:/,/^$/p' | sed -n 's/^  \([a-z-]*\) .*/\1/p')
# The footer: what follows "Exit status:", up to a blank line.
exit_status=$(printf '%s\n' "$help" | sed -n '/^Exit status/,/^$/p' | tail -n +2)

{
  echo ".TH EDGEPROBE 1 \"\" \"edgeprobe $version\" \"User Commands\""
  echo ".SH NAME"
  echo "edgeprobe \\- $summary" | sed 's/-/\\-/2g'
  echo ".SH SYNOPSIS"
  echo ".B edgeprobe"
  echo ".I COMMAND"
  echo ".RI [ OPTIONS ]"
  echo ".SH DESCRIPTION"
  echo "edgeprobe runs active connectivity checks (DNS, TCP, UDP, TLS, STUN/TURN, SQL Server Browser,"
  echo "MS\\-RPC endpoint mapper, HTTP, Exchange EWS) from suite files or the command line, and says for"
  echo "each one pass, warn or fail with the reason: which device refused, dropped or rejected what."
  echo ".SH COMMANDS"
  for command in $commands; do
    echo ".SS $command"
    echo ".nf"
    "$bin" "$command" --help | roff
    echo ".fi"
  done
  echo ".SH PROBES"
  echo "Each probe's options and expectations: \\fBedgeprobe probes\\fR \\fINAME\\fR."
  echo ".PP"
  echo ".nf"
  "$bin" probes | roff
  echo ".fi"
  if [ -n "$exit_status" ]; then
    echo ".SH \"EXIT STATUS\""
    echo ".nf"
    printf '%s\n' "$exit_status" | sed 's/^  //' | roff
    echo ".fi"
  fi
  echo ".SH FILES"
  echo ".TP"
  echo ".I /usr/share/edgeprobe/suites/"
  echo "Example suites, and \\fBedgeprobe.schema.json\\fR, the JSON Schema of suite files."
  echo ".SH \"SEE ALSO\""
  echo "The user documentation in \\fI/usr/share/doc/edgeprobe/\\fR: the suite format, results and"
  echo "reason codes, the command line, and a page for each probe."
} > "$out"
