#!/usr/bin/env bash
# SAVE time: each server loads the same RDB file, then runs SAVE three times (the first one before
# Respire's writer is compiled); prints the seconds of each and the file's size. Alternates
# Respire and Redis ROUNDS times (default 2). PIN=1 pins each server to core 0.
#
#   bench/save-time.sh /path/to/dump.rdb [port] [extra server arguments...]
# e.g. a dataset of large strings saved without compression: ... dump.rdb 7462 --rdbcompression no
# Environment: ROUNDS, PIN, RESPIRE (default bin/respire-server of this tree), RESPIRE_JAVA_OPTS.
set -euo pipefail
rdb=$(readlink -f "$1") port=${2:-7462}
shift $(( $# < 2 ? $# : 2 ))
root="$(cd "$(dirname "$0")/.." && pwd)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pin=()
[[ "${PIN:-0}" == 1 ]] && pin=(taskset -c 0)

save() {  # save NAME COMMAND...: loads a copy of the file, times three SAVEs, stops the server
    local name=$1 log="$work/$1.log" times=""; shift
    cp "$rdb" "$work/dump.rdb"
    : > "$log"
    "${pin[@]}" "$@" --port "$port" --save '' --dir "$work" --dbfilename dump.rdb "${extra[@]}" > "$log" 2>&1 &
    local server=$!
    for _ in $(seq 1200); do grep -q 'Ready to accept' "$log" && break; sleep 0.1; done
    for _ in 1 2 3; do
        local start ms
        start=$(date +%s%N)
        redis-cli -p "$port" save > /dev/null
        ms=$(( ($(date +%s%N) - start) / 1000000 ))
        times="$times $((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
    done
    echo "$name SAVE seconds:$times, file $(stat -c %s "$work/dump.rdb") bytes"
    redis-cli -p "$port" shutdown nosave > /dev/null 2>&1 || true
    wait "$server" 2> /dev/null || true
}

extra=("$@")
for _ in $(seq "${ROUNDS:-2}"); do
    save respire "${RESPIRE:-$root/bin/respire-server}"
    save redis redis-server --daemonize no
done
