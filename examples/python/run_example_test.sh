#!/usr/bin/env bash
# End-to-end test of the Python example client (ctest: python_example_client):
#
#   examples/python/run_example_test.sh BUILD_DIR
#
# Starts BUILD_DIR/server/einvoiced in development mode (plaintext on loopback, every caller the
# local operator) on a port it picks itself and a temporary data directory, registers the
# sample invoice's seller with BUILD_DIR/tools/einvoice, runs submit_invoice.py against it
# (which checks the code, the replay and the rejection itself), and stops the server with
# SIGTERM, expecting a clean stop. Exit 0 when all of that worked.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
build=$1
here=$(cd "$(dirname "$0")" && pwd)
einvoiced=$build/server/einvoiced
cli=$build/tools/einvoice
python=/usr/bin/python3  # Debian's: python3-grpcio and python3-protobuf live there

fail() { echo "run_example_test.sh: $*" >&2; exit 1; }

for binary in "$einvoiced" "$cli"; do
  [ -x "$binary" ] || fail "$binary not built (cmake --build $build --target einvoiced einvoice)"
done
command -v protoc >/dev/null && [ -x /usr/bin/grpc_python_plugin ] ||
  fail "protoc or /usr/bin/grpc_python_plugin missing: scripts/install-deps.sh installs them" \
       "(protobuf-compiler, protobuf-compiler-grpc)"
"$python" -c 'import grpc, google.protobuf' 2>/dev/null ||
  fail "python3-grpcio or python3-protobuf missing for $python: scripts/install-deps.sh" \
       "installs them (apt-get install python3-grpcio python3-protobuf)"

tmp=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill -KILL "$server_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
show_server_log() { echo "--- einvoiced stdout:"; cat "$tmp/server.out"; echo "--- einvoiced stderr:"; cat "$tmp/server.log"; } >&2

# The server's stdout comes through a FIFO we keep open: reading it blocks until the server
# prints "einvoiced listening on HOST:PORT" (port 0 lets it pick a free one), or exits.
mkfifo "$tmp/stdout"
"$einvoiced" --listen=127.0.0.1:0 --data_dir="$tmp/data" --hsm_sessions=2 \
  >"$tmp/stdout" 2>"$tmp/server.log" &
server_pid=$!
exec 3<"$tmp/stdout"
: >"$tmp/server.out"
address=
for _ in $(seq 100); do  # bounded: at most 100 lines, each within 60 s
  IFS= read -r -t 60 -u 3 line || break
  echo "$line" >>"$tmp/server.out"
  case $line in
    "einvoiced listening on "*) address=${line#einvoiced listening on }; break ;;
  esac
done
if [ -z "$address" ]; then
  show_server_log
  fail "einvoiced did not say where it listens"
fi
echo "einvoiced listening on $address"

# Development mode still refuses invoices of unregistered sellers (20101): register the
# sample's seller, as a tax officer would.
seller=$("$python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["seller"]["taxCode"])' \
  "$here/../invoice.json")
"$cli" --server "$address" seller register "$seller" --name "Công ty TNHH Mẫu" >/dev/null ||
  { show_server_log; fail "einvoice seller register $seller failed"; }

status=0
"$python" "$here/submit_invoice.py" --server "$address" || status=$?

# Stop it as an operator would; it finishes with "einvoiced stopped" and exit 0.
kill -TERM "$server_pid"
server_status=0
wait "$server_pid" || server_status=$?
server_pid=
while IFS= read -r -t 60 -u 3 line; do echo "$line" >>"$tmp/server.out"; done
exec 3<&-
if [ "$server_status" -ne 0 ] || ! grep -q '^einvoiced stopped$' "$tmp/server.out"; then
  show_server_log
  fail "einvoiced did not stop cleanly (exit $server_status)"
fi
if [ "$status" -ne 0 ]; then
  show_server_log
  fail "submit_invoice.py failed (exit $status)"
fi
echo "python example client: passed"
