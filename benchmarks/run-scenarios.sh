#!/usr/bin/env bash
# Runs the issue-5 scenarios against a fresh einvoiced on 127.0.0.1:0 and prints one JSON
# report per scenario (plus a table on stderr). Every server it starts is stopped at the end.
#
#   benchmarks/run-scenarios.sh BUILD_DIR [DURATION=10] [PRELOAD_COUNT=0] [SCENARIOS...]
#
# SCENARIOS (default: submit stream lookup mixed open); also available: xml (every new invoice
# as seller-signed QĐ1450 XML; the harness signs them before the load, ~1.5 ms CPU each)
# PRELOAD_COUNT > 0 first fills the store with einvoice-preload (the store-size scenario).
set -euo pipefail
build=${1:?usage: run-scenarios.sh BUILD_DIR [DURATION] [PRELOAD_COUNT] [SCENARIOS...]}
duration=${2:-10}
preload=${3:-0}
shift $(( $# < 3 ? $# : 3 ))
scenarios=("$@")
[ ${#scenarios[@]} -eq 0 ] && scenarios=(submit stream lookup mixed open)
bench=$build/benchmarks/einvoice-bench
work=$(mktemp -d /tmp/einvoice-scenarios.XXXXXX)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if [ "$preload" -gt 0 ]; then
  "$build/benchmarks/einvoice-preload" --data_dir="$work/data" --count="$preload" >&2
fi
"$build/server/einvoiced" --listen=127.0.0.1:0 --data_dir="$work/data" >"$work/out" 2>"$work/err" &
server_pid=$!
# Wait for the "listening on" line (the server prints it once serving).
while ! grep -q 'listening on' "$work/out"; do
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/err" >&2; exit 1; }
  sleep 0.1
done
target=$(sed -n 's/.*listening on \(.*\)$/\1/p' "$work/out")
echo "einvoiced at $target (data in $work/data, $preload preloaded)" >&2

common=(--target="$target" --concurrency=64 --duration="$duration" --warmup=2 --json --progress=false)
for s in "${scenarios[@]}"; do
  echo "== $s" >&2
  case $s in
    submit) "$bench" "${common[@]}" --scenario=submit --ceiling ;;
    stream) "$bench" "${common[@]}" --scenario=submit --rpc=stream --ceiling ;;
    lookup) "$bench" "${common[@]}" --scenario=lookup --ceiling ;;
    mixed)  "$bench" "${common[@]}" --scenario=mixed ;;
    open)   "$bench" "${common[@]}" --scenario=submit --rate=4000 ;;
    xml)    "$bench" "${common[@]}" --scenario=xml --ceiling ;;
    *) echo "unknown scenario $s" >&2; exit 2 ;;
  esac
done
