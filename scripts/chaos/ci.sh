#!/usr/bin/env bash
# CI entry for the chaos test: runs scripts/chaos/run.sh (CI variant, under 10 minutes), its
# two-network variant (run.sh --multipath, about 2 minutes) and the fragment test
# (scripts/chaos/fragments.sh, under 3 minutes) when the machine allows it, and otherwise says
# clearly that it was skipped and why (exit 0).
# Exit status: 0 passed or skipped, non-zero when an invariant failed or the run broke.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
echo "== chaos test (scripts/chaos)"
if ! reason=$("$here/netns.sh" check); then
    echo "CHAOS TEST SKIPPED: $reason"
    exit 0
fi
timeout -k 60 600 "$here/run.sh" "$@"
rc=$?
[[ $rc == 124 ]] && echo "CHAOS TEST FAILED: did not finish within 10 minutes"
[[ $rc == 0 ]] || exit $rc
# two networks per node: failover phases (about 2 minutes)
echo "== chaos test, two networks per node (scripts/chaos/run.sh --multipath)"
timeout -k 60 600 "$here/run.sh" --multipath --out target/chaos-multipath "$@"
rc=$?
[[ $rc == 124 ]] && echo "CHAOS TEST (multipath) FAILED: did not finish within 10 minutes"
[[ $rc == 0 ]] || exit $rc
# messages larger than a packet over a 1500-byte veth with 30 % loss at each ingress (issue 20)
echo "== fragment test (scripts/chaos/fragments.sh)"
timeout -k 30 180 "$here/fragments.sh"
rc=$?
[[ $rc == 124 ]] && echo "FRAGMENT TEST FAILED: did not finish within 3 minutes"
exit $rc
