#!/usr/bin/env bash
# Chaos test of reliable-msg across three network namespaces (see docs/RELIABILITY.md).
#
#   sudo scripts/chaos/run.sh                    # CI variant (about 3 minutes)
#   sudo scripts/chaos/run.sh --soak 3600        # soak: 1 % loss, a flap every --flap-every s
#   sudo scripts/chaos/run.sh --standin          # the harness's own stand-in node instead of sample-app
#   sudo scripts/chaos/run.sh --multipath        # two networks per node: failover phases (about 2 minutes)
#   scripts/chaos/run.sh --help                  # every driver option
#
# Needs root. Builds the namespaces node-a, node-b, node-c and router chaos-r, runs chaos.py,
# and removes every namespace it made (and with them the veths and nft tables) on any exit.
# Results: target/chaos/{results.json,timeline.svg,table.md,node-*.log}. Exit 0 only when every
# invariant held.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"

for arg in "$@"; do
    if [[ $arg == -h || $arg == --help ]]; then exec python3 "$here/chaos.py" --help; fi
done

if ! reason=$("$here/netns.sh" check); then
    echo "chaos: cannot run here: $reason" >&2
    exit 3
fi

jar_args=()
standin=0
topology=
for arg in "$@"; do [[ $arg == --multipath ]] && topology=--multipath; done
for arg in "$@"; do [[ $arg == --standin || $arg == --jar || $arg == --jar=* ]] && standin=1; done
if [[ $standin == 0 ]]; then
    jar=$(ls sample-app/target/sample-app*.jar 2>/dev/null | grep -v -- '-plain\|sources\|javadoc' | head -1)
    if [[ -z $jar ]]; then
        if [[ -f sample-app/pom.xml ]]; then
            echo "chaos: building sample-app (mvn -B -q -pl sample-app package -DskipTests)"
            mvn -B -q -pl sample-app package -DskipTests || { echo "chaos: sample-app build failed" >&2; exit 2; }
            jar=$(ls sample-app/target/sample-app*.jar 2>/dev/null | grep -v -- '-plain\|sources\|javadoc' | head -1)
        fi
    fi
    [[ -n $jar ]] || { echo "chaos: no sample-app jar (sample-app/target/sample-app.jar); use --jar PATH or --standin" >&2; exit 2; }
    mkdir -p target/chaos
    # a private copy, so a rebuild of sample-app during the run cannot pull the jar from under the nodes
    cp "$jar" target/chaos/sample-app.jar
    jar_args=(--jar target/chaos/sample-app.jar)
fi

mkdir -p target/chaos
state=$(mktemp /tmp/reliable-msg-chaos.XXXXXX)
driver=
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n $driver ]] && kill -0 "$driver" 2>/dev/null; then
        kill -TERM "$driver" 2>/dev/null       # the driver stops its nodes and writes what it has
        for _ in $(seq 60); do kill -0 "$driver" 2>/dev/null || break; sleep 0.5; done
        kill -KILL "$driver" 2>/dev/null
    fi
    "$here/netns.sh" down "$state"
    echo "chaos: namespaces, veths and nft tables removed"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$here/netns.sh" up "$state" $topology || { echo "chaos: could not build the topology" >&2; exit 2; }
echo "chaos: topology up: node-a 10.201.1.2, node-b 10.201.2.2, node-c 10.201.3.2 via router chaos-r"
[[ -n $topology ]] && echo "chaos: second network: node-a 10.202.0.2, node-b 10.202.0.3, node-c 10.202.0.4 on bridge chaos-sw"
# in the background so that a signal reaches the trap at once
python3 "$here/chaos.py" "${jar_args[@]}" "$@" &
driver=$!
wait "$driver"
rc=$?
driver=
exit $rc
