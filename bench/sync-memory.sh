#!/usr/bin/env bash
# A primary's resident memory during a full sync: 1,000,000 keys of 100 bytes (DEBUG POPULATE),
# G1's idle collection let settle for 20 s, then a redis-server replica attaches; VmRSS of the
# primary is polled every 50 ms until the replica's link is up. Primary pinned to core 0, replica
# to core 1; run it alone on the machine.
#   bench/sync-memory.sh [respire-server script] [port]
set -euo pipefail
server=${1:-"$(cd "$(dirname "$0")/.." && pwd)/bin/respire-server"}
port=${2:-7901}
server=$(readlink -f "$server")  # it runs from a temporary directory
rport=$((port + 1))
dir=$(mktemp -d)
cd "$dir"
taskset -c 0 "$server" --port "$port" --save '' --enable-debug-command yes --repl-diskless-sync-delay 0 > primary.log 2>&1 &
launched=$!
trap 'kill "$launched" 2> /dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 600); do redis-cli -p "$port" ping > /dev/null 2>&1 && break; sleep 0.1; done
pid=$(ss -ltnp | grep ":$port " | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
[[ -n "$pid" ]] || { echo "sync-memory.sh: the primary did not start" >&2; exit 1; }
trap 'redis-cli -p $rport shutdown nosave > /dev/null 2>&1 || true; kill "$pid" "$launched" 2> /dev/null || true; rm -rf "$dir"' EXIT
redis-cli -p "$port" debug populate 1000000 key 100 > /dev/null
sleep 20
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
before=$(rss)
peak=$before
taskset -c 1 redis-server --port "$rport" --save '' --replicaof 127.0.0.1 "$port" --dir "$dir" --daemonize no > replica.log 2>&1 &
for _ in $(seq 1200); do
    now=$(rss)
    (( now > peak )) && peak=$now
    redis-cli -p "$rport" info replication 2> /dev/null | grep -q 'master_link_status:up' && break
    sleep 0.05
done
echo "primary RSS before the sync ${before} kB, peak during it ${peak} kB, growth $((peak - before)) kB"
