#!/usr/bin/env bash
# Load at start: the "DB loaded from disk: N seconds" that Respire and Redis log for the same RDB
# file, the server's peak resident memory once loaded (VmHWM) and the CPU time of its threads by
# name (for a JVM: the compilers, the collector and the loading thread), alternating, ROUNDS times
# (default 3). PIN=1 pins each server to core 0.
# A dataset: run `python3 bench/bgsave.py --servers redis` and keep the dump.rdb it leaves, or SAVE
# any Redis and copy its file.
#
#   bench/load-time.sh /path/to/dump.rdb [port]
# Environment: ROUNDS, PIN, RESPIRE (default bin/respire-server of this tree), RESPIRE_JAVA_OPTS.
set -euo pipefail
rdb=$(readlink -f "$1") port=${2:-7442}
root="$(cd "$(dirname "$0")/.." && pwd)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ln -s "$rdb" "$work/dump.rdb"
pin=()
[[ "${PIN:-0}" == 1 ]] && pin=(taskset -c 0)

thread_cpu() {  # thread_cpu PID: CPU time (user + system, ms) by thread name, the five largest (JIT, GC, loader)
    local t
    for t in /proc/"$1"/task/*; do
        echo "$(tr ' ' '_' < "$t/comm") $(sed 's/.*) //' "$t/stat" | awk '{print ($12 + $13) * 10}')"
    done | awk '{cpu[$1] += $2} END {for (n in cpu) if (cpu[n] > 0) print cpu[n], n}' | sort -rn | head -5 \
        | awk '{printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1}'
}

load() {  # load NAME COMMAND...: starts the server, waits until it is ready, prints its load time, stops it
    local name=$1 log="$work/$1.log"; shift
    : > "$log"
    "${pin[@]}" "$@" --port "$port" --save '' --dir "$work" --dbfilename dump.rdb > "$log" 2>&1 &
    local server=$!
    for _ in $(seq 1200); do grep -q 'Ready to accept' "$log" && break; sleep 0.1; done
    echo "$name $(grep -o 'DB loaded from disk: [0-9.]* seconds' "$log" || echo 'no load line')," \
        "peak RSS $(awk '/VmHWM/ {print int($2 / 1024) " MB"}' "/proc/$server/status" 2>/dev/null)," \
        "CPU ms by thread: $(thread_cpu "$server")"
    redis-cli -p "$port" shutdown nosave > /dev/null 2>&1 || true
    wait "$server" 2> /dev/null || true
}

for _ in $(seq "${ROUNDS:-3}"); do
    load respire "${RESPIRE:-$root/bin/respire-server}"
    load redis redis-server --daemonize no
done
