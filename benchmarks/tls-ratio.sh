#!/usr/bin/env bash
# What mutual TLS costs: the same load against two fresh einvoiced on 127.0.0.1:0, one in
# plaintext development mode and one with --tls_* flags and scripts/dev-pki.sh's certificates
# (the load sent as a T-VAN for every seller, the sellers registered by an officer), in
# alternating rounds so machine drift hits both alike. Prints each run's JSON report on stdout
# and, on stderr, the ratios TLS / plaintext per round: throughput, p99 latency, server and
# client CPU per request.
#
#   benchmarks/tls-ratio.sh BUILD_DIR [DURATION=10] [ROUNDS=2] [SCENARIOS=submit lookup]
set -euo pipefail
build=${1:?usage: tls-ratio.sh BUILD_DIR [DURATION] [ROUNDS] [SCENARIOS...]}
duration=${2:-10}
rounds=${3:-2}
shift $(( $# < 3 ? $# : 3 ))
scenarios=("$@")
[ ${#scenarios[@]} -eq 0 ] && scenarios=(submit lookup)
here=$(cd "$(dirname "$0")" && pwd)
bench=$build/benchmarks/einvoice-bench
work=$(mktemp -d /tmp/einvoice-tls-ratio.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

"$here/../scripts/dev-pki.sh" "$work/pki" >&2
pki=$work/pki

# start NAME ARGS...: einvoiced on 127.0.0.1:0; sets $target.
start() {
  local name=$1
  shift
  "$build/server/einvoiced" --listen=127.0.0.1:0 --data_dir="$work/$name" "$@" \
    >"$work/$name.out" 2>"$work/$name.err" &
  pids+=($!)
  while ! grep -q 'listening on' "$work/$name.out"; do
    kill -0 "${pids[-1]}" 2>/dev/null || { cat "$work/$name.err" >&2; exit 1; }
    sleep 0.1
  done
  target=$(sed -n 's/.*listening on \(.*\)$/\1/p' "$work/$name.out")
}
start plain
plain_target=$target
# The load comes from one T-VAN certificate: lift the per-certificate rate limit.
start tls --tls_cert_file="$pki/server.pem" --tls_key_file="$pki/server.key" \
  --client_ca_file="$pki/ca.pem" --access_policy_file="$pki/policy.json" --caller_rate=0
tls_target=$target
echo "plaintext einvoiced at $plain_target, mutual TLS at $tls_target" >&2

common=(--concurrency=64 --duration="$duration" --warmup=2 --json --progress=false)
tls_flags=(--ca_file="$pki/ca.pem" --cert_file="$pki/tvan.pem" --key_file="$pki/tvan.key"
           --setup_cert_file="$pki/officer.pem" --setup_key_file="$pki/officer.key")
summary() {  # summary SCENARIO PLAIN_JSON TLS_JSON
  jq -rn --arg s "$1" --argjson p "$2" --argjson t "$3" '
    def r(a; b): if b == 0 then "-" else ((a / b * 100 | round) / 100 | tostring) end;
    "\($s): throughput \($t.throughput_per_s|round)/s vs \($p.throughput_per_s|round)/s = " +
    r($t.throughput_per_s; $p.throughput_per_s) +
    ", p99 " + r($t.latency_ms.p99; $p.latency_ms.p99) +
    ", server CPU/request " + r($t.server_cpu_ms_per_request; $p.server_cpu_ms_per_request) +
    ", client CPU/request " + r($t.client_cpu_ms_per_request; $p.client_cpu_ms_per_request) +
    "  (TLS / plaintext)"' >&2
}
for round in $(seq 1 "$rounds"); do
  for s in "${scenarios[@]}"; do
    case $s in
      submit|lookup|mixed|xml) ;;
      *) echo "unknown scenario $s" >&2; exit 2 ;;
    esac
    plain=$("$bench" --target="$plain_target" "${common[@]}" --scenario="$s")
    tls=$("$bench" --target="$tls_target" "${common[@]}" --scenario="$s" "${tls_flags[@]}")
    echo "$plain"
    echo "$tls"
    echo -n "round $round " >&2
    summary "$s" "$plain" "$tls"
  done
done
