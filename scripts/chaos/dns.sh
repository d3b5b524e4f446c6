#!/usr/bin/env bash
# Real DNS test of peers that move (issue 13; docs/TESTING.md, docs/PROTOCOL.md section 11).
#
#   sudo scripts/chaos/dns.sh                              # default settings (40-70 s)
#   sudo scripts/chaos/dns.sh --resolution-interval 1000 --jvm-dns-ttl 1 --bound 10   # faster settings
#   scripts/chaos/dns.sh --check                           # can it run here? prints why not, exit 3
#
# dnsmasq, started here in a network namespace of its own, serves b.rmdns.test. Node a sends to peer
# "b" given by that name, from before the record exists; node b1 (10.213.0.3) receives. Then b
# "restarts on a new address" as a pod does: b1 stops (SIGTERM), its namespace and address go, b2
# starts at 10.213.0.4 and the record changes, while a keeps sending and is never restarted. The test
# passes when delivery resumed at the new address, every accepted message was acked and delivered
# exactly once (b1 and b2 together), none failed, and the resumption took no longer than the bound
# (60 s with default settings, the issue's promise; the expected worst case is JVM DNS cache TTL +
# peer-resolution-interval). It measures how long resolution and resumption took.
#
#   rmdns-sw  bridge br0, dnsmasq on 10.213.0.53
#     |-- rmdns-a  10.213.0.2   the sender (DnsNode send), resolv.conf -> 10.213.0.53
#     |-- rmdns-b1 10.213.0.3   the receiver's first incarnation
#     `-- rmdns-b2 10.213.0.4   the receiver after its restart
#
# Nodes are scripts/chaos/dns/DnsNode.java (the core API only) run in source-file mode on the core jar.
# Every namespace, every /etc/netns/<ns> directory and every process this script made is removed on
# any exit (trap), and only those: names it did not create are refused, never touched.
# Results: target/dns/{results.json,summary.md,*.log,*.events,*.deliveries}. Exit 0 passed, 1 an
# invariant failed, 2 the run broke, 3 cannot run here.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"

NS_SW=rmdns-sw NS_A=rmdns-a NS_B1=rmdns-b1 NS_B2=rmdns-b2
DNS_IP=10.213.0.53 A_IP=10.213.0.2 B1_IP=10.213.0.3 B2_IP=10.213.0.4
NAME=b.rmdns.test PORT=7001
out=target/dns
resolution_interval=        # ms; empty: the library's default
jvm_dns_ttl=                # s, for answers and failures alike; empty: the JVM's defaults (networkaddress.cache.ttl 30 s, .negative.ttl 10 s)
bound_s=60                  # the issue's promise with default settings
rate=20
check_only=0
while [[ $# -gt 0 ]]; do
    case $1 in
        --resolution-interval) resolution_interval=$2; shift 2 ;;
        --jvm-dns-ttl) jvm_dns_ttl=$2; shift 2 ;;
        --bound) bound_s=$2; shift 2 ;;
        --rate) rate=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --check) check_only=1; shift ;;
        -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d'; exit 0 ;;
        *) echo "dns: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

log() { echo "[dns $(date +%H:%M:%S)] $*"; }
now_ms() { date +%s%3N; }
ns_exists() { ip netns list 2>/dev/null | awk '{print $1}' | grep -qx "$1"; }

# Can this machine run the test? Prints the reason and returns 1 when not. Installs dnsmasq-base
# (the dnsmasq binary, no system service) when it is missing and apt-get is there.
check() {
    if [[ $(id -u) -ne 0 ]]; then echo "not root (uid $(id -u)); network namespaces need root"; return 1; fi
    command -v ip >/dev/null || { echo "'ip' (iproute2) missing"; return 1; }
    command -v java >/dev/null || { echo "java missing"; return 1; }
    command -v python3 >/dev/null || { echo "python3 missing"; return 1; }
    if ! command -v dnsmasq >/dev/null && [[ ! -x /usr/sbin/dnsmasq ]] && command -v apt-get >/dev/null; then
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dnsmasq-base) >/dev/null 2>&1
    fi
    command -v dnsmasq >/dev/null || [[ -x /usr/sbin/dnsmasq ]] \
        || { echo "dnsmasq missing and could not be installed (Debian package dnsmasq-base)"; return 1; }
    local probe="rmdns-probe-$$" ok=0
    if ! ip netns add "$probe" 2>/dev/null; then echo "'ip netns add' is not permitted here (container without CAP_SYS_ADMIN?)"; return 1; fi
    ip -n "$probe" link add pa type veth peer name pb 2>/dev/null || ok=1
    ip -n "$probe" link add br0 type bridge 2>/dev/null || ok=2
    ip netns del "$probe"
    [[ $ok == 1 ]] && { echo "veth pairs cannot be created here"; return 1; }
    [[ $ok == 2 ]] && { echo "bridges cannot be created here"; return 1; }
    return 0
}

if ! reason=$(check); then
    echo "dns: cannot run here: $reason" >&2
    exit 3
fi
[[ $check_only == 1 ]] && exit 0
DNSMASQ=$(command -v dnsmasq || echo /usr/sbin/dnsmasq)

jar=$(ls reliable-msg-core/target/reliable-msg-core-*.jar 2>/dev/null | grep -v -- '-sources\|-javadoc\|-tests' | head -1)
if [[ -z $jar ]]; then
    log "building reliable-msg-core (mvn -B -q -pl reliable-msg-core package -DskipTests)"
    mvn -B -q -pl reliable-msg-core package -DskipTests -Dspotbugs.skip=true || { echo "dns: core build failed" >&2; exit 2; }
    jar=$(ls reliable-msg-core/target/reliable-msg-core-*.jar 2>/dev/null | grep -v -- '-sources\|-javadoc\|-tests' | head -1)
fi
[[ -n $jar ]] || { echo "dns: no reliable-msg-core jar" >&2; exit 2; }

rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)
cp "$jar" "$out/core.jar" # a private copy: a rebuild during the run cannot pull it from under the nodes

# ---------------------------------------------------------------- what we made, removed on any exit
made_ns=()      # namespaces, in creation order
made_etc=()     # /etc/netns/<ns> directories
made_netns_dir=0
pids=()         # processes started here (ip netns exec execs them: these are the JVMs' and dnsmasq's)

stop_pid() {    # TERM, up to 10 s, then KILL; only a pid we started
    local pid=$1
    kill -0 "$pid" 2>/dev/null || return 0
    # still one of ours (a node JVM or dnsmasq): a pid is given out again once its process is gone
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'DnsNode\|dnsmasq' || return 0
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
}

remove_ns() {   # a namespace we made: what runs in it first, then the namespace and its /etc/netns dir
    local ns=$1 pid
    ns_exists "$ns" || return 0
    for pid in $(ip netns pids "$ns" 2>/dev/null); do stop_pid "$pid"; done
    ip netns del "$ns"
    rm -rf "/etc/netns/$ns"
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    local pid i
    for pid in "${pids[@]}"; do stop_pid "$pid"; done
    for ((i = ${#made_ns[@]} - 1; i >= 0; i--)); do remove_ns "${made_ns[i]}"; done
    for d in "${made_etc[@]}"; do rm -rf "$d"; done
    [[ $made_netns_dir == 1 ]] && rmdir /etc/netns 2>/dev/null
    log "namespaces, /etc/netns entries and processes removed"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail() { echo "dns: $*" >&2; exit 2; }

# ---------------------------------------------------------------- topology
for ns in "$NS_SW" "$NS_A" "$NS_B1" "$NS_B2"; do
    if ns_exists "$ns" || [[ -e /etc/netns/$ns ]]; then
        fail "namespace $ns (or /etc/netns/$ns) already exists; not ours, refusing to touch it (remove it with 'ip netns del $ns; rm -rf /etc/netns/$ns' if an earlier run left it)"
    fi
done
[[ -d /etc/netns ]] || { mkdir /etc/netns && made_netns_dir=1; }
ip netns add "$NS_SW" || fail "ip netns add $NS_SW"
made_ns+=("$NS_SW")
ip -n "$NS_SW" link set lo up
# a MAC of its own: a bridge without one takes the lowest of its ports', so it would change when b1's
# port goes, and a's cached ARP entry for the DNS server would point nowhere until probed again
ip -n "$NS_SW" link add br0 address 02:00:0a:d5:00:35 type bridge
ip -n "$NS_SW" addr add "$DNS_IP/24" dev br0
ip -n "$NS_SW" link set br0 up
node_ns() {     # node_ns NS IP: a host on the bridge whose resolver is the test's dnsmasq
    local ns=$1 ip=$2
    ip netns add "$ns" || fail "ip netns add $ns"
    made_ns+=("$ns")
    mkdir -p "/etc/netns/$ns"
    made_etc+=("/etc/netns/$ns")
    # ip netns exec bind-mounts this over /etc/resolv.conf for what it runs; one try, one second, so
    # that a lost query costs the resolver round a second, not the glibc default of 2 x 5 s
    printf 'nameserver %s\noptions timeout:1 attempts:1\n' "$DNS_IP" >"/etc/netns/$ns/resolv.conf"
    ip -n "$ns" link set lo up
    ip -n "$NS_SW" link add "p-$ns" type veth peer name eth0 netns "$ns"
    ip -n "$NS_SW" link set "p-$ns" master br0
    ip -n "$NS_SW" link set "p-$ns" up
    ip -n "$ns" addr add "$ip/24" dev eth0
    ip -n "$ns" link set eth0 up
}
node_ns "$NS_A" "$A_IP"
node_ns "$NS_B1" "$B1_IP"
node_ns "$NS_B2" "$B2_IP"
log "topology up: $NS_A $A_IP, $NS_B1 $B1_IP, $NS_B2 $B2_IP on a bridge in $NS_SW, dnsmasq at $DNS_IP"

# ---------------------------------------------------------------- dnsmasq
hosts="$out/hosts"
set_record() {  # set_record [IP]: b.rmdns.test -> IP (or no record), re-read by dnsmasq at SIGHUP
    { echo "$DNS_IP dns.rmdns.test"; [[ -n ${1:-} ]] && echo "$1 $NAME"; } >"$hosts.new"
    mv "$hosts.new" "$hosts"
    kill -HUP "$dnsmasq_pid"
}
echo "$DNS_IP dns.rmdns.test" >"$hosts"
chmod 644 "$hosts"
# no upstream servers, nothing from /etc/hosts; rmdns.test is answered from $hosts only (NXDOMAIN
# when absent), with TTL 0 so that no cache but the JVM's holds an answer
ip netns exec "$NS_SW" "$DNSMASQ" --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts \
    --addn-hosts="$hosts" --local=/rmdns.test/ --local-ttl=0 --listen-address="$DNS_IP" --bind-interfaces \
    --user=root --group=root --pid-file= --log-queries --log-facility="$out/dnsmasq.log" \
    >"$out/dnsmasq.out" 2>&1 &
dnsmasq_pid=$!
pids+=("$dnsmasq_pid")
up=0
for _ in $(seq 50); do
    if ip netns exec "$NS_A" getent hosts dns.rmdns.test >/dev/null 2>&1; then up=1; break; fi
    kill -0 "$dnsmasq_pid" 2>/dev/null || break
    sleep 0.2
done
[[ $up == 1 ]] || fail "dnsmasq does not answer from $NS_A (see $out/dnsmasq.out, $out/dnsmasq.log)"
ip netns exec "$NS_A" getent hosts "$NAME" >/dev/null && fail "$NAME resolves before the test made its record"
log "dnsmasq answers in $NS_A; $NAME has no record yet"

# ---------------------------------------------------------------- nodes
jvm=(java -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1)
if [[ -n $jvm_dns_ttl ]]; then
    # security properties, not -Dsun.net.inetaddr.negative.ttl: the JDK's java.security sets
    # networkaddress.cache.negative.ttl=10 itself, and a security property wins over the system property
    printf 'networkaddress.cache.ttl=%s\nnetworkaddress.cache.negative.ttl=%s\n' "$jvm_dns_ttl" "$jvm_dns_ttl" \
        >"$out/java.security"
    jvm+=("-Djava.security.properties=$out/java.security")
fi
node=(-cp "$out/core.jar" "$here/dns/DnsNode.java")
start_receiver() {  # start_receiver NS IP TAG
    ip netns exec "$1" "${jvm[@]}" "${node[@]}" receive --client-id=2 --bind="$2" --port=$PORT \
        --peer="$A_IP:$PORT" --out="$out/$3.deliveries" >"$out/$3.log" 2>&1 &
    receiver_pid=$!
    pids+=("$receiver_pid")
}
wait_line() {   # wait_line FILE PATTERN SECONDS PID: a line matching PATTERN appears while PID runs
    local file=$1 pattern=$2 seconds=$3 pid=$4
    for _ in $(seq $((seconds * 10))); do
        grep -q "$pattern" "$file" 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}
first_field() { awk -v p="$2" '$1 == p { print $NF; exit }' "$1" 2>/dev/null; }  # time of the first line of a kind

start_receiver "$NS_B1" "$B1_IP" b1
b1_pid=$receiver_pid
sender_args=(send --client-id=1 --bind="$A_IP" --port=$PORT --peer="$NAME:$PORT" --rate="$rate"
             --out="$out/a.events" --stop-file="$out/stop" --max-seconds=150)
[[ -n $resolution_interval ]] && sender_args+=(--resolution-interval="$resolution_interval")
[[ -n ${DNS_TRACE_LOOKUPS:-} ]] && sender_args+=(--trace-lookups=true)
ip netns exec "$NS_A" "${jvm[@]}" "${node[@]}" "${sender_args[@]}" >"$out/a.log" 2>&1 &
a_pid=$!
pids+=("$a_pid")
wait_line "$out/b1.deliveries" '^UP' 60 "$b1_pid" || fail "b1 did not start (see $out/b1.log)"
wait_line "$out/a.events" '^START' 60 "$a_pid" || fail "a did not start (see $out/a.log)"
log "a (sender) and b1 (receiver) up; a sends $rate/s to $NAME:$PORT"

# a runs before the record exists: its peer is unresolved, its sends are accepted and kept
wait_line "$out/a.events" 'unresolved=true noAddressDrops=[1-9]' 30 "$a_pid" \
    || fail "a never reported its peer unresolved with copies kept (see $out/a.events)"
t_add=$(now_ms)
set_record "$B1_IP"
log "record added: $NAME -> $B1_IP"
wait_line "$out/b1.deliveries" '^D ' 75 "$a_pid" || fail "nothing reached b1 within 75 s of the record"
t_first_b1=$(first_field "$out/b1.deliveries" D)
log "first delivery at b1 $(( (t_first_b1 - t_add) / 1000 )) s after the record appeared"
for _ in $(seq 50); do sleep 0.1; done          # 5 s of traffic to b1

# b restarts on a new address: b1 stops and its namespace (its address) goes; b2 starts; the record changes
t_stop=$(now_ms)
stop_pid "$b1_pid"
remove_ns "$NS_B1"
start_receiver "$NS_B2" "$B2_IP" b2
b2_pid=$receiver_pid
wait_line "$out/b2.deliveries" '^UP' 60 "$b2_pid" || fail "b2 did not start (see $out/b2.log)"
t_change=$(now_ms)
set_record "$B2_IP"
log "b1 stopped, $B1_IP gone; b2 up at $B2_IP; record changed: $NAME -> $B2_IP"
wait_line "$out/b2.deliveries" '^D ' $((bound_s + 15)) "$a_pid" \
    || log "nothing reached b2 within $((bound_s + 15)) s of the change"
t_first_b2=$(first_field "$out/b2.deliveries" D)
[[ -n $t_first_b2 ]] && log "first delivery at b2 $(( (t_first_b2 - t_change) / 1000 )) s after the record changed"
for _ in $(seq 50); do sleep 0.1; done          # 5 s of traffic to b2

touch "$out/stop"
for _ in $(seq 900); do kill -0 "$a_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$a_pid" 2>/dev/null; then fail "a did not end within 90 s of the stop"; fi
wait "$a_pid"
a_rc=$?
stop_pid "$b2_pid"
log "a ended (exit $a_rc); b2 stopped"

# ---------------------------------------------------------------- invariants and figures
python3 - "$out" "$t_add" "$t_stop" "$t_change" "$bound_s" "${resolution_interval:-default}" \
    "${jvm_dns_ttl:-default}" "$a_rc" <<'EOF'
import json, sys
from collections import Counter
out, t_add, t_stop, t_change, bound_s = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
interval, ttl, a_rc = sys.argv[6], sys.argv[7], int(sys.argv[8])

def lines(name):
    try:
        with open(f"{out}/{name}") as f:
            return [l.split() for l in f if l.strip()]
    except FileNotFoundError:
        return []

ev = lines("a.events")
incarnation = next(int(l[2]) for l in ev if l[0] == "START")
sent = {int(l[1]): int(l[2]) for l in ev if l[0] == "S"}
acks = Counter(int(l[1]) for l in ev if l[0] == "A")
ack_at = {int(l[1]): int(l[2]) for l in ev if l[0] == "A"}
failed = [l for l in ev if l[0] == "F"]
refused = sum(1 for l in ev if l[0] == "R")
done = next((l for l in ev if l[0] == "DONE"), None)
changes = [(int(l[1]), " ".join(l[2:])) for l in ev if l[0] == "P"]
deliveries = {tag: [l for l in lines(f"{tag}.deliveries") if l[0] == "D"] for tag in ("b1", "b2")}
got = Counter()
foreign = 0
for tag, ds in deliveries.items():
    for d in ds:
        if int(d[1]) != 1 or int(d[2]) != incarnation:
            foreign += 1
        got[int(d[3])] += 1

def first(ds):
    return min((int(d[4]) for d in ds), default=None)

def seen(address, after):
    return next((t for t, c in changes if t >= after and address in c), None)

t_b1, t_b2 = first(deliveries["b1"]), first(deliveries["b2"])
t_seen_b1, t_seen_b2 = seen("10.213.0.3:", t_add), seen("10.213.0.4:", t_change)
at_b2 = {int(d[3]) for d in deliveries["b2"]}
# accepted once b1 had closed (it delivers nothing after) and before b2 got its first: these waited
t_closed_b1 = next((int(l[1]) for l in lines("b1.deliveries") if l[0] == "CLOSED"), t_stop)
waited = [m for m, t in sent.items() if t_closed_b1 < t < (t_b2 or 0)]
sec = lambda a, b: None if a is None or b is None else round((a - b) / 1000, 1)
figures = {
    "peerResolutionInterval": interval, "jvmDnsTtl": ttl,
    "accepted": len(sent), "acked": sum(acks.values()), "failed": len(failed), "refused": refused,
    "deliveredAtB1": len(deliveries["b1"]), "deliveredAtB2": len(deliveries["b2"]),
    "acceptedWhileUnreachable": len(waited), "ofThoseDeliveredAtB2": len(set(waited) & at_b2),
    "recordAddedToAddressSeenS": sec(t_seen_b1, t_add), "recordAddedToFirstDeliveryS": sec(t_b1, t_add),
    "recordChangedToAddressSeenS": sec(t_seen_b2, t_change), "resumptionDelayS": sec(t_b2, t_change),
    "b1StoppedToFirstDeliveryAtB2S": sec(t_b2, t_stop),
    "longestSendToAckS": max((round((ack_at[m] - t) / 1000, 1) for m, t in sent.items() if m in ack_at), default=None),
    "peerChanges": [c for _, c in changes],
}
checks = [
    ("the sender ended cleanly, every accepted message resolved", a_rc == 0 and done is not None and "allEnded=true" in done),
    ("no message failed", not failed),
    ("no send was refused (chain full)", refused == 0),
    ("every accepted message acked once", all(acks[m] == 1 for m in sent) and set(acks) == set(sent)),
    ("every accepted message delivered (b1 and b2 together)", all(got[m] >= 1 for m in sent)),
    ("nothing delivered twice", all(n == 1 for n in got.values())),
    ("nothing delivered that was not sent, all from one sender incarnation (no restart)", foreign == 0 and set(got) <= set(sent)),
    ("b1 got messages once its record appeared", len(deliveries["b1"]) > 0),
    ("delivery resumed at the new address", len(deliveries["b2"]) > 0),
    ("what was accepted while b could not be reached went to the new address", len(waited) > 0 and set(waited) <= at_b2),
    (f"resumption within {bound_s} s of the record change", t_b2 is not None and t_b2 - t_change <= bound_s * 1000),
]
ok = all(c for _, c in checks)
with open(f"{out}/results.json", "w") as f:
    json.dump({"passed": ok, "checks": {n: c for n, c in checks}, "figures": figures}, f, indent=2)
with open(f"{out}/summary.md", "w") as f:
    f.write(f"| figure | value |\n|---|---|\n")
    for k, v in figures.items():
        f.write(f"| {k} | {v} |\n")
for n, c in checks:
    print(f"  {'ok  ' if c else 'FAIL'} {n}")
for k, v in figures.items():
    print(f"  {k}: {v}")
sys.exit(0 if ok else 1)
EOF
rc=$?
[[ $rc == 0 ]] && log "PASSED (results in $out/results.json)" || log "FAILED (see $out)"
exit $rc
