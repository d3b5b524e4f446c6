#!/usr/bin/env bash
# Raw UDP ping-pong with three ways of waiting (plain blocking receive, timed blocking receive, a Selector) while
# HOGS busy loops keep both cores taken; each mode ROUNDS times, alternating. Every process ends by itself.
#   bash scripts/bench/busy-pingpong.sh            (HOGS=3 ROUNDS=2 SECONDS_EACH=8)
# Needs reliable-msg-benchmarks/target/benchmarks.jar (README, "Benchmarks"). docs/PERFORMANCE.md has the figures.
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=reliable-msg-benchmarks/target/benchmarks.jar
HOGS=${HOGS:-3}; ROUNDS=${ROUNDS:-2}; SECS=${SECONDS_EACH:-8}
total=$(( ROUNDS * 3 * (SECS + 1) + 5 ))
for _ in $(seq "$HOGS"); do timeout "$total" sh -c 'while :; do :; done' & done
sleep 0.5
for _ in $(seq "$ROUNDS"); do
  for mode in plain timed select; do
    timeout $(( SECS + 5 )) java -cp "$JAR" io.reliablemsg.bench.WaitModes echo "$mode" 41001 41002 "$SECS" & echo_pid=$!
    sleep 0.5
    timeout $(( SECS + 5 )) java -cp "$JAR" io.reliablemsg.bench.WaitModes ping "$mode" 41002 41001 $(( SECS - 1 )) || true
    kill "$echo_pid" 2>/dev/null || true; wait "$echo_pid" 2>/dev/null || true
  done
done
uptime
wait
