#!/usr/bin/env bash
# Topology for the chaos test: three hosts, one router, every address inside namespaces we create.
#
#   node-a (10.201.1.2) --veth-- [chaos-r] --veth-- node-b (10.201.2.2)
#                                    |
#                                  veth
#                                    |
#                              node-c (10.201.3.2)
#
# chaos-r forwards between the three /24s, so every datagram crosses a hop. The host's own
# namespace gets nothing: no interface, no address, no route, no nft rule.
#
# With --multipath, a second network joins the nodes, as a second NIC or VLAN of a VM does:
#
#   node-a eth1 (10.202.0.2) --+
#   node-b eth1 (10.202.0.3) --+-- bridge br0 in namespace chaos-sw (switched, no router)
#   node-c eth1 (10.202.0.4) --+
#
# Each node then has two paths to each other node: net1 (routed, 10.201.x) and net2 (switched,
# 10.202.0.x). chaos-sw holds an nft table of its own (bridge family) for loss on net2.
#
# usage: netns.sh up STATEFILE [--multipath] | down STATEFILE | check
# "down" removes only what "up" recorded in STATEFILE (namespaces it created, after killing the
# processes inside them), so it never touches a namespace someone else owns.
set -uo pipefail

NODES=(a b c)
ROUTER=chaos-r
SWITCH=chaos-sw

ns_exists() { ip netns list 2>/dev/null | awk '{print $1}' | grep -qx "$1"; }

up() {
    local state=$1 multipath=${2:-}
    : >"$state"
    for ns in "$ROUTER" "$SWITCH" "${NODES[@]/#/node-}"; do
        if ns_exists "$ns"; then
            echo "netns.sh: namespace $ns already exists; not ours, refusing to touch it" \
                 "(remove it with 'ip netns del $ns' if it is left over from an earlier run)" >&2
            return 1
        fi
    done
    set -e
    ip netns add "$ROUTER"; echo "$ROUTER" >>"$state"
    ip -n "$ROUTER" link set lo up
    ip netns exec "$ROUTER" sysctl -qw net.ipv4.ip_forward=1
    local i=1
    for n in "${NODES[@]}"; do
        ip netns add "node-$n"; echo "node-$n" >>"$state"
        ip -n "node-$n" link set lo up
        # created inside the router namespace, its peer created directly inside the node namespace
        ip -n "$ROUTER" link add "veth-$n" type veth peer name eth0 netns "node-$n"
        ip -n "$ROUTER" addr add "10.201.$i.1/24" dev "veth-$n"
        ip -n "$ROUTER" link set "veth-$n" up
        ip -n "node-$n" addr add "10.201.$i.2/24" dev eth0
        ip -n "node-$n" link set eth0 up
        ip -n "node-$n" route add default via "10.201.$i.1"
        i=$((i + 1))
    done
    # a table of our own for the fault rules; deleted with the namespace
    ip netns exec "$ROUTER" nft add table inet chaos
    ip netns exec "$ROUTER" nft add chain inet chaos faults '{ type filter hook forward priority 0; policy accept; }'
    if [[ $multipath == --multipath ]]; then
        ip netns add "$SWITCH"; echo "$SWITCH" >>"$state"
        ip -n "$SWITCH" link set lo up
        ip -n "$SWITCH" link add br0 type bridge
        ip -n "$SWITCH" link set br0 up
        i=2
        for n in "${NODES[@]}"; do
            ip -n "$SWITCH" link add "sw-$n" type veth peer name eth1 netns "node-$n"
            ip -n "$SWITCH" link set "sw-$n" master br0
            ip -n "$SWITCH" link set "sw-$n" up
            ip -n "node-$n" addr add "10.202.0.$i/24" dev eth1
            ip -n "node-$n" link set eth1 up
            i=$((i + 1))
        done
        ip netns exec "$SWITCH" nft add table bridge chaos
        ip netns exec "$SWITCH" nft add chain bridge chaos faults '{ type filter hook forward priority 0; policy accept; }'
    fi
    set +e
}

down() {
    local state=$1
    [[ -f $state ]] || return 0
    local ns pid
    while read -r ns; do
        [[ -n $ns ]] && ns_exists "$ns" || continue
        # processes we started in it (the node JVMs): TERM, then KILL what is left, by pid
        for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -TERM "$pid" 2>/dev/null; done
        for _ in 1 2 3 4 5 6 7 8 9 10; do [[ -z $(ip netns pids "$ns" 2>/dev/null) ]] && break; sleep 0.5; done
        for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
    done <"$state"
    # deleting a namespace deletes its veth ends (and so their peers) and its nft tables
    tac "$state" | while read -r ns; do
        [[ -n $ns ]] && ns_exists "$ns" && ip netns del "$ns"
    done
    rm -f "$state"
}

# Can this machine run the chaos test? Prints the reason and returns 1 when not.
check() {
    if [[ $(id -u) -ne 0 ]]; then echo "not root (uid $(id -u)); network namespaces need root"; return 1; fi
    if ! command -v ip >/dev/null || ! command -v nft >/dev/null; then
        if command -v apt-get >/dev/null; then
            (apt-get update -qq && apt-get install -y -qq nftables iproute2) >/dev/null 2>&1
        fi
    fi
    command -v ip >/dev/null || { echo "'ip' (iproute2) missing and could not be installed"; return 1; }
    command -v nft >/dev/null || { echo "'nft' (nftables) missing and could not be installed"; return 1; }
    local probe="chaos-probe-$$"
    if ! ip netns add "$probe" 2>/dev/null; then echo "'ip netns add' is not permitted here (container without CAP_SYS_ADMIN?)"; return 1; fi
    local ok=0
    ip netns exec "$probe" nft add table inet probe 2>/dev/null || ok=1
    ip -n "$probe" link add pa type veth peer name pb 2>/dev/null || ok=2
    ip netns del "$probe"
    [[ $ok == 1 ]] && { echo "nftables does not work inside a network namespace here"; return 1; }
    [[ $ok == 2 ]] && { echo "veth pairs cannot be created here"; return 1; }
    command -v java >/dev/null || { echo "java missing"; return 1; }
    command -v python3 >/dev/null || { echo "python3 missing"; return 1; }
    return 0
}

case "${1:-}" in
    up) up "$2" "${3:-}" ;;
    down) down "$2" ;;
    check) check ;;
    *) echo "usage: $0 up STATEFILE [--multipath] | down STATEFILE | check" >&2; exit 2 ;;
esac
