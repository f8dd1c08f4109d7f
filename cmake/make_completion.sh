#!/usr/bin/env bash
# Writes edgeprobe's bash completion from the binary's own help: the commands
# from `edgeprobe --help`, each command's options from `edgeprobe COMMAND
# --help`, the probe names from `edgeprobe probes`, the formats from the
# --format help. Installed as /usr/share/bash-completion/completions/edgeprobe.
#
#   bash cmake/make_completion.sh BINARY OUTPUT
set -euo pipefail
bin=$1
out=$2

help=$("$bin" --help)
commands=$(printf '%s\n' "$help" | sed -n '/^Subcommands:/,/^$/p' | sed -n 's/^  \([a-z-]*\) .*/\1/p')
probes=$("$bin" probes | awk '{print $1}')
# "--format TEXT  stdout's format: human, json, ... (default: ...)"
formats=$("$bin" run --help | sed -n 's/.*--format .*format: \([a-z, ]*\).*/\1/p' | tr -d ',')

# The options of one command: every "-x,--long" or "--long" at the start of a
# help line.
options_of() {
  "$bin" "$1" --help | sed -n 's/^  \(-[-a-zA-Z0-9,]*\).*/\1/p' | tr ',' '\n' | tr '\n' ' '
}

{
  echo "# bash completion for edgeprobe; generated from its help by cmake/make_completion.sh."
  echo "_edgeprobe() {"
  echo "  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}"
  echo "  if [ \"\$COMP_CWORD\" -eq 1 ]; then"
  echo "    COMPREPLY=(\$(compgen -W \"$(echo $commands) --help --version\" -- \"\$cur\"))"
  echo "    return"
  echo "  fi"
  echo "  case \$prev in"
  echo "    --format) COMPREPLY=(\$(compgen -W \"$formats\" -- \"\$cur\")); return ;;"
  echo "    --config|--report|--cert|--key|--client-ca) COMPREPLY=(\$(compgen -f -- \"\$cur\")); return ;;"
  echo "  esac"
  echo "  local options=\"\""
  echo "  case \${COMP_WORDS[1]} in"
  for command in $commands; do
    echo "    $command) options=\"$(options_of "$command")\" ;;"
  done
  echo "  esac"
  echo "  if [[ \$cur == -* ]]; then"
  echo "    COMPREPLY=(\$(compgen -W \"\$options\" -- \"\$cur\"))"
  echo "  elif [ \"\${COMP_WORDS[1]}\" = check ] && [ \"\$COMP_CWORD\" -eq 2 ] || [ \"\${COMP_WORDS[1]}\" = probes ]; then"
  echo "    COMPREPLY=(\$(compgen -W \"$(echo $probes)\" -- \"\$cur\"))"
  echo "  else"
  echo "    COMPREPLY=(\$(compgen -f -- \"\$cur\"))"
  echo "  fi"
  echo "}"
  echo "complete -o filenames -F _edgeprobe edgeprobe"
} > "$out"
