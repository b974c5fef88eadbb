#!/usr/bin/env bash
# A full sync from a redis-server primary: the primary loads FILE (streaming its snapshot to the
# replica, repl-diskless-sync yes), the replica under test gets REPLICAOF; prints the time to
# master_link_status:up, the keys the replica holds and its peak resident memory (VmHWM).
#
#   bench/replica-sync.sh FILE NAME REPLICA-COMMAND...
# e.g.  bench/replica-sync.sh dump.rdb respire bin/respire-server --repl-diskless-load swapdb
#       bench/replica-sync.sh dump.rdb redis redis-server --daemonize no --repl-diskless-load swapdb
# Environment: PRIMARY_ARGS (extra primary arguments, e.g. "--rdbcompression no --proto-max-bulk-len 1gb"),
# PORT (default 7480; the replica takes PORT+1).
set -euo pipefail
rdb=$(readlink -f "$1") name=$2
shift 2
port=${PORT:-7480}
primary=$(mktemp -d) replica=$(mktemp -d)
trap 'rm -rf "$primary" "$replica"' EXIT
ln -s "$rdb" "$primary/dump.rdb"
# shellcheck disable=SC2086
redis-server --port "$port" --dir "$primary" --save '' --repl-diskless-sync yes --repl-diskless-sync-delay 0 \
    ${PRIMARY_ARGS:-} --daemonize no > "$primary/log" 2>&1 &
for _ in $(seq 1200); do grep -q 'Ready to accept' "$primary/log" && break; sleep 0.1; done
"$@" --port $((port + 1)) --dir "$replica" --save '' > "$replica/log" 2>&1 &
server=$!
for _ in $(seq 600); do redis-cli -p $((port + 1)) ping 2> /dev/null | grep -q PONG && break; sleep 0.1; done
start=$(date +%s%N)
redis-cli -p $((port + 1)) replicaof 127.0.0.1 "$port" > /dev/null
for _ in $(seq 6000); do
    redis-cli -p $((port + 1)) info replication | grep -q 'master_link_status:up' && break
    sleep 0.05
done
ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "$name sync ${ms} ms, keys $(redis-cli -p $((port + 1)) dbsize)," \
    "peak RSS $(awk '/VmHWM/ {print int($2 / 1024) " MB"}' "/proc/$server/status")"
redis-cli -p $((port + 1)) shutdown nosave > /dev/null 2>&1 || true
redis-cli -p "$port" shutdown nosave > /dev/null 2>&1 || true
wait
