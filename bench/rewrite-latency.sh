#!/usr/bin/env bash
# BGREWRITEAOF under a one-client GET probe: the server (pinned to core 0) loads FILE, turns the AOF
# on (a first rewrite, which warms the code), then rewrites twice while redis-benchmark GETs at -c 1
# from core 1. Prints each rewrite's time and the probe's latency summary (avg min p50 p95 p99 max, ms):
# what a rewrite holds the server up for.
#
#   bench/rewrite-latency.sh FILE NAME SERVER-COMMAND   e.g. ... dump.rdb respire bin/respire-server
#   PREAMBLE=yes|no (default no: a command base), "redis-server --daemonize no" for Redis
set -uo pipefail
rdb=$(readlink -f "$1") name=$2 cmd=$3 preamble=${PREAMBLE:-no} port=${PORT:-7497}
w=$(mktemp -d); cp "$rdb" $w/dump.rdb
taskset -c 0 $cmd --port $port --save '' --dir $w --aof-use-rdb-preamble $preamble --appendonly no > $w/log 2>&1 &
for _ in $(seq 300); do redis-cli -p $port ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
while redis-cli -p $port info persistence | grep -q "loading:1"; do sleep 0.1; done
done_rewriting() {
    for _ in $(seq 1200); do
        redis-cli -p $port info persistence | grep -q 'aof_rewrite_in_progress:0' \
            && redis-cli -p $port info persistence | grep -q 'aof_rewrite_scheduled:0' && return
        sleep 0.05
    done
}
redis-cli -p $port config set appendonly yes > /dev/null
done_rewriting
for round in 1 2; do
    (taskset -c 1 redis-benchmark -p $port -t get -c 1 -n 60000 -r 1000000 2>/dev/null | tr '\r' '\n' \
        | grep -A2 "latency summary" | tail -1 > $w/probe) &
    probe=$!
    sleep 0.5
    start=$(date +%s%N)
    redis-cli -p $port bgrewriteaof > /dev/null
    done_rewriting
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    wait $probe
    echo "$name round $round: rewrite ${ms} ms; probe GET avg min p50 p95 p99 max (ms): $(cat $w/probe)"
done
redis-cli -p $port shutdown nosave > /dev/null; wait; rm -rf $w
