#!/usr/bin/env bash
# What one request costs the server: CPU time (user + system, from /proc) per request, and for
# Respire the bytes it allocates per request (jstat's eden figures), measured over N requests of
# redis-benchmark after four warm-up runs (new connections deoptimize JIT code once or twice
# before it settles; one warm-up run is not enough). Server pinned to core 0, client to core 1.
# Run benchmarks alone on the machine, and pair before/after runs within one window.
#
#   bench/server-cost.sh respire|redis PORT TEST PIPELINE ["server args"] ["client args"]
#   e.g. N=3000000 bench/server-cost.sh respire 7502 set 16 "--maxmemory 5mb --maxmemory-policy allkeys-lru"
# Environment: N (requests measured, default 3000000), WARM (requests per warm-up run, 1500000),
# RESPIRE (the respire-server script, default bin/respire-server of this tree).
set -euo pipefail
who=$1 port=$2 test=$3 pipeline=$4 server_args=${5:-} client_args=${6:-}
n=${N:-3000000}
root="$(cd "$(dirname "$0")/.." && pwd)"
if [[ $who == redis ]]; then
    eval taskset -c 0 redis-server --port "$port" --save "''" $server_args --daemonize no > /dev/null 2>&1 &
else
    eval taskset -c 0 "${RESPIRE:-$root/bin/respire-server}" --port "$port" --save "''" $server_args > /dev/null 2>&1 &
fi
for _ in $(seq 150); do redis-cli -p "$port" ping > /dev/null 2>&1 && break; sleep 0.1; done
pid=$(ss -ltnp | grep ":$port " | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
# The server goes whatever happens below (set -e stops the script at the first failing step).
trap 'kill "$pid" 2> /dev/null || true; while kill -0 "$pid" 2> /dev/null; do sleep 0.1; done' EXIT
trap 'echo "server-cost.sh: failed at line $LINENO" >&2' ERR
bench() {
    eval taskset -c 1 redis-benchmark -p "$port" $client_args -t "$test" -P "$pipeline" -n "$1" -r 100000 -q 2>&1 \
        | tr '\r' '\n' | grep -v '^ *$' | tail -1
}
for _ in 1 2 3 4; do bench "${WARM:-1500000}" > /dev/null; done
eden() { jstat -gc "$pid" | tail -1 | awk '{print $5, $6, $13}'; }  # EC EU YGC, in KB
[[ $who == redis ]] || read -r _ eu0 ygc0 <<< "$(eden)"
cpu0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
result=$(bench "$n")
cpu1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
line="$who $test -P $pipeline: cpu_us/request=$(python3 -c "print(round(($cpu1 - $cpu0) / $(getconf CLK_TCK) * 1e6 / $n, 3))")"
if [[ $who != redis ]]; then
    read -r ec1 eu1 ygc1 <<< "$(eden)"
    line+=" alloc_bytes/request=$(python3 -c "print(round((($ygc1 - $ygc0) * $ec1 + $eu1 - $eu0) * 1024 / $n, 1))")"
fi
echo "$line | $result"
