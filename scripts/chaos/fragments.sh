#!/usr/bin/env bash
# Fragment test on a real link (issue 20): two core-only nodes (scripts/chaos/fragments/FragProbe.java) in
# network namespaces of our own, rmfrag-a-<pid> and rmfrag-b-<pid>, joined by a veth pair at MTU 1500;
# nftables drops 30 % of the IP packets at each side's ingress with a netdev hook (before reassembly, so an
# IP fragment is lost like any packet). a sends COUNT messages of 100 B, 4 KiB, 16 KiB and 256 KiB to b
# (interval 200 ms, 10 retries). Checked:
#   - no size fails more often than the 100-byte messages, within noise (at most 2 % of COUNT more);
#   - nothing is lost (every acked message was delivered) or delivered twice, and every delivery is whole;
#   - no datagram on the wire exceeded the MTU: neither namespace's kernel made or reassembled an IP
#     fragment (Ip FragCreates / ReasmReqds in its /proc/net/snmp stay 0).
# Bounded in time (the nodes exit by themselves; the whole run is under 3 minutes) and the namespaces are
# removed on every exit path (trap). Skips, exit 0, with the reason printed, where namespaces cannot be made.
# usage: scripts/chaos/fragments.sh [COUNT]   (default 200; run as root; needs reliable-msg-core built)
# For measurements only (not what CI runs): RMFRAG_LOSS=<percent> (default 30) and RMFRAG_SIZES="<bytes> ..."
# change the loss and the sizes, RMFRAG_REORDERING_MS=<ms> the nodes' reordering window; the send-to-ack times per
# size are printed (median and p99).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
count=${1:-200}
read -r -a sizes <<<"${RMFRAG_SIZES:-100 4096 16384 262144}"
loss=${RMFRAG_LOSS:-30}
classes="$root/reliable-msg-core/target/classes"
out="$root/target/chaos-fragments"
a="rmfrag-a-$$"
b="rmfrag-b-$$"

skip() { echo "FRAGMENT TEST SKIPPED: $1"; exit 0; }
[[ $(id -u) -eq 0 ]] || skip "not root (uid $(id -u)); network namespaces need root"
command -v ip >/dev/null || skip "'ip' (iproute2) missing"
command -v nft >/dev/null || skip "'nft' (nftables) missing"
command -v java >/dev/null || skip "java missing"
[[ -f $classes/io/reliablemsg/ReliableMessenger.class ]] || skip "reliable-msg-core is not built ($classes)"

created=()
cleanup() {
    local ns pid
    for ns in "${created[@]}"; do
        for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
        ip netns del "$ns" 2>/dev/null
    done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$a" 2>/dev/null || skip "'ip netns add' is not permitted here"
created+=("$a")
ip netns add "$b" || exit 1
created+=("$b")
set -e
ip -n "$a" link set lo up
ip -n "$b" link set lo up
ip -n "$a" link add eth0 mtu 1500 type veth peer name eth0 netns "$b" mtu 1500
ip -n "$a" addr add 10.231.0.1/24 dev eth0
ip -n "$b" addr add 10.231.0.2/24 dev eth0
ip -n "$a" link set eth0 up
ip -n "$b" link set eth0 up
for ns in "$a" "$b"; do
    ip netns exec "$ns" nft add table netdev rmfrag
    ip netns exec "$ns" nft add chain netdev rmfrag ingress '{ type filter hook ingress device eth0 priority 0; policy accept; }'
    ip netns exec "$ns" nft add rule netdev rmfrag ingress meta protocol ip numgen random mod 100 '<' "$loss" drop
done
set +e
mkdir -p "$out"
snmp() { ip netns exec "$1" awk '/^Ip:/ { if (!h) { split($0, k); h = 1 } else { for (i = 2; i <= NF; i++) if (k[i] == "'"$2"'") print $i } }' /proc/net/snmp; }

echo "== fragment test: $count messages of each of ${sizes[*]} bytes, $loss % loss at each ingress, MTU 1500"
# the receiver lives for the sending time (count x sizes / 25 per second) plus outcomes, then exits
life=$(( count * ${#sizes[@]} / 25 + 60 ))
ip netns exec "$b" timeout -k 5 $((life + 10)) java -cp "$classes" "$here/fragments/FragProbe.java" receiver \
    10.231.0.2 7100 10.231.0.1 7100 "$life" >"$out/receiver.txt" 2>"$out/receiver.log" &
receiver=$!
for _ in $(seq 1 100); do grep -q READY "$out/receiver.txt" 2>/dev/null && break; sleep 0.2; done
ip netns exec "$a" timeout -k 5 $((life + 10)) java -cp "$classes" "$here/fragments/FragProbe.java" sender \
    10.231.0.1 7100 10.231.0.2 7100 "$count" "${sizes[@]}" >"$out/sender.txt" 2>"$out/sender.log"
sender_rc=$?
frag_a=$(snmp "$a" FragCreates); frag_b=$(snmp "$b" FragCreates)
reasm_a=$(snmp "$a" ReasmReqds); reasm_b=$(snmp "$b" ReasmReqds)
kill -TERM "$receiver" 2>/dev/null
wait "$receiver" 2>/dev/null

fail=0
check() { if eval "$2"; then echo "  ok   $1"; else echo "  FAIL $1"; fail=1; fi; }
# the peer must have answered with a revision that reads FRAGMENT (4 or later: revision 5 adds trace context)
check "sender finished (exit $sender_rc) and saw a revision that reads fragments (4 or later)" \
    "[[ $sender_rc == 0 ]] && awk '/^PEER_REVISION / { ok = (\$2 >= 4) } END { exit !ok }' '$out/sender.txt'"
failed100=$(grep -c '^FAILED 100 ' "$out/sender.txt")
for size in "${sizes[@]}"; do
    acked=$(grep -c "^ACKED $size " "$out/sender.txt")
    failed=$(grep -c "^FAILED $size " "$out/sender.txt")
    delivered=$(grep -c "^DELIVERED $size " "$out/receiver.txt")
    times=$(grep "^ACKED $size " "$out/sender.txt" | cut -d' ' -f4 | sort -g | awk '{ v[NR] = $1 }
        END { if (NR) printf "send-to-ack median %.1f ms, p99 %.1f ms", v[int((NR + 1) / 2)], v[int(NR * 0.99 + 0.999)] }')
    echo "  size $size: acked $acked, failed $failed, delivered $delivered (of $count); $times"
    check "size $size: one outcome each" "[[ $((acked + failed)) == $count ]]"
    check "size $size: fails no more often than 100 B (+2 % of $count)" "[[ $failed -le $((failed100 + count / 50)) ]]"
done
dups=$(grep '^DELIVERED ' "$out/receiver.txt" | sort | uniq -d | wc -l)
check "nothing delivered twice" "[[ $dups == 0 ]]"
check "every delivery whole" "! grep -q '^CORRUPT ' '$out/receiver.txt'"
lost=$(comm -23 <(grep '^ACKED ' "$out/sender.txt" | cut -d' ' -f2,3 | sort) \
                <(grep '^DELIVERED ' "$out/receiver.txt" | cut -d' ' -f2- | sort) | wc -l)
check "nothing lost: every acked message was delivered ($lost missing)" "[[ $lost == 0 ]]"
echo "  IP fragments made: a $frag_a, b $frag_b; reassemblies asked: a $reasm_a, b $reasm_b"
check "no datagram exceeded the MTU (no IP fragment made or reassembled)" \
    "[[ $frag_a == 0 && $frag_b == 0 && $reasm_a == 0 && $reasm_b == 0 ]]"
grep '^STATS' "$out/sender.txt" "$out/receiver.txt" | sed 's/^/  /'
if [[ $fail == 0 ]]; then echo "FRAGMENT TEST PASSED"; else echo "FRAGMENT TEST FAILED (outputs in $out)"; fi
exit $fail
