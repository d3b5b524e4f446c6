#!/usr/bin/env python3
"""Chaos driver for reliable-msg: three sample-app nodes in network namespaces, real faults.

Run through run.sh, which builds the namespaces (netns.sh) and removes them on every exit path.
This driver starts one node per namespace, drives a bounded load through POST /api/messages,
applies faults with nft (random drop) and ip link (flaps) in the router namespace, kills and
restarts a node, samples GET /api/stats, collects GET /api/failures, checks the invariants of
each phase, and writes target/chaos/results.json, target/chaos/timeline.svg and a table.

Python 3.11 standard library only. HTTP calls to a node are made from threads that entered the
node's network namespace with setns(2) (a per-thread operation), so nothing is exposed outside
the namespaces.
"""
from __future__ import annotations

import argparse
import ctypes
import http.client
import json
import math
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict

ROUTER = "chaos-r"
NODES = ["a", "b", "c"]
NODE_IP = {"a": "10.201.1.2", "b": "10.201.2.2", "c": "10.201.3.2"}
SWITCH = "chaos-sw"                                                  # --multipath: the second network
NET2_IP = {"a": "10.202.0.2", "b": "10.202.0.3", "c": "10.202.0.4"}
CLIENT_ID = {"a": 1, "b": 2, "c": 3}
DIRECTIONS = [(s, d) for s in NODES for d in NODES if s != d]

# --------------------------------------------------------------------------- namespaces

_libc = ctypes.CDLL("libc.so.6", use_errno=True)
CLONE_NEWNET = 0x40000000


def enter_netns(name: str) -> None:
    """Moves the calling thread (only it) into network namespace `name`."""
    fd = os.open(f"/run/netns/{name}", os.O_RDONLY)
    try:
        if _libc.setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, f"setns({name}): {os.strerror(err)}")
    finally:
        os.close(fd)


def sh(*cmd: str, check: bool = True) -> str:
    r = subprocess.run(cmd, capture_output=True, text=True)
    if check and r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr.strip()}")
    return r.stdout


def log(msg: str) -> None:
    print(f"[chaos {time.strftime('%H:%M:%S')}] {msg}", flush=True)


# --------------------------------------------------------------------------- HTTP


class Http:
    """One keep-alive connection to a node's HTTP port, used from one thread inside its namespace."""

    def __init__(self, port: int, timeout: float = 5.0):
        self.port, self.timeout, self.conn = port, timeout, None

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, object]:
        data = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"} if data else {}
        for attempt in range(2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
                    self.conn.connect()
                    self.conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                self.conn.request(method, path, body=data, headers=headers)
                r = self.conn.getresponse()
                raw = r.read()
                try:
                    return r.status, json.loads(raw) if raw else None
                except ValueError:
                    return r.status, raw.decode(errors="replace")
            except (http.client.HTTPException, OSError):
                self.close()
                if attempt == 1 or method == "POST":
                    raise  # a POST is never repeated: it might have been accepted
        raise AssertionError

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            except OSError:
                pass
        self.conn = None


class NodeCaller:
    """A thread pinned in one namespace that runs control calls (stats, failures, health)."""

    def __init__(self, node: str, port: int):
        self.node = node
        self.port = port
        self.lock = threading.Lock()
        self.box: list = []
        self.req = threading.Condition(self.lock)
        self.jobs: list = []
        self.thread = threading.Thread(target=self._run, name=f"ctl-{node}", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        enter_netns(f"node-{self.node}")
        client = Http(self.port)
        while True:
            with self.req:
                while not self.jobs:
                    self.req.wait()
                fn, done = self.jobs.pop(0)
            try:
                done.append(("ok", fn(client)))
            except Exception as e:  # noqa: BLE001 - handed to the caller
                client.close()
                done.append(("err", e))

    def call(self, fn, timeout: float = 10.0):
        done: list = []
        with self.req:
            self.jobs.append((fn, done))
            self.req.notify()
        deadline = time.time() + timeout
        while not done and time.time() < deadline:
            time.sleep(0.002)
        if not done:
            raise TimeoutError(f"node {self.node}: call timed out")
        kind, value = done[0]
        if kind == "err":
            raise value
        return value

    def get(self, path: str, timeout: float = 10.0):
        def fn(c: Http):
            status, body = c.request("GET", path)
            if status != 200:
                raise RuntimeError(f"GET {path} on {self.node}: HTTP {status} {body}")
            return body
        return self.call(fn, timeout)


# --------------------------------------------------------------------------- stats

def _key(k: str) -> str:
    return k.replace("-", "").replace("_", "").lower()


ALIASES = {
    "sent": ["sent"], "acked": ["acked"], "retransmitted": ["retransmitted", "retransmits", "retransmissions"],
    "failed": ["failed"], "pending": ["pending"], "delivered": ["delivered"], "duplicates": ["duplicates"],
    "stale": ["staleMessagesDropped", "staleDropped", "stale"], "malformed": ["malformedDropped", "malformed"],
    "deliveredTwice": ["deliveredTwice", "duplicatesDelivered", "repeated"], "capacity": ["capacity"],
    "chainFull": ["chainFullRejections"],
    # copies dropped by the nodes themselves, not by the injected loss (see "outside the loss model")
    "staleAcks": ["staleAcksDropped"], "rejected": ["deliveryRejected"], "sendDrops": ["transportSendDrops"],
}


def _pick(obj: dict, field: str):
    m = {_key(k): v for k, v in obj.items()}
    for alias in ALIASES[field]:
        if _key(alias) in m and isinstance(m[_key(alias)], (int, float)):
            return m[_key(alias)]
    return None


def norm_stats(js: dict) -> dict:
    """Node stats as {field: value, 'peers': {name: {field: value}}}, whatever the exact JSON names."""
    out = {f: _pick(js, f) for f in ALIASES}
    peers = {}
    raw = js.get("peers")
    if isinstance(raw, dict):
        items = raw.items()
    elif isinstance(raw, list):
        items = [(p.get("name") or p.get("peer"), p) for p in raw if isinstance(p, dict)]
    else:
        items = []
    for name, p in items:
        if isinstance(p, dict):
            peers[name] = {f: _pick(p, f) for f in ALIASES}
    out["peers"] = peers
    return out


def _path_states(js: dict) -> dict:
    """Each peer's path states as this node sees them, {peer: ["ACTIVE", "STANDBY"]}, or {}."""
    out = {}
    peers = js.get("peers")
    if isinstance(peers, dict):
        for name, p in peers.items():
            if isinstance(p, dict) and isinstance(p.get("paths"), list) and len(p["paths"]) > 1:
                out[name] = [q.get("state") for q in p["paths"]]
    return out


def norm_failures(js) -> list[dict]:
    if isinstance(js, dict):
        js = js.get("recent") or js.get("failures") or []
    out = []
    for f in js or []:
        m = {_key(k): v for k, v in f.items()}
        out.append({"peer": m.get("peer"), "msgId": m.get("msgid"), "userBuffer": m.get("userbuffer"),
                    "attempts": m.get("attempts", m.get("transmissions")), "reason": m.get("reason"),
                    "time": m.get("time")})
    return out


# --------------------------------------------------------------------------- nodes


class Node:
    def __init__(self, name: str, args, out_dir: str):
        self.name, self.args, self.out_dir = name, args, out_dir
        self.proc: subprocess.Popen | None = None
        self.caller = NodeCaller(name, args.http_port)
        self.starts = 0
        self.pid_history: list[int] = []

    def command(self) -> list[str]:
        a = self.args
        props = {
            "reliable-msg.client-id": CLIENT_ID[self.name],
            # multipath: every interface (both networks), as the starter's default 0.0.0.0
            "reliable-msg.bind-address": "0.0.0.0" if a.multipath else NODE_IP[self.name],
            "reliable-msg.port": a.udp_port,
            "reliable-msg.interval": f"{a.interval_ms}ms",
            "reliable-msg.max-retries": a.max_retries,
            "reliable-msg.max-stored-messages": a.capacity,
            "server.port": a.http_port,
        }
        for p in NODES:
            if p != self.name:
                props[f"reliable-msg.peers.{p}"] = f"{NODE_IP[p]}:{a.udp_port}" + \
                    (f",{NET2_IP[p]}:{a.udp_port}" if a.multipath else "")
        for extra in a.node_prop:
            k, _, v = extra.partition("=")
            props[k] = v.replace("{node}", self.name)
        jvm = ["java", f"-Xmx{a.heap_mb}m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"]
        if a.standin:
            main = [f"-cp", a.core_jar, os.path.join(os.path.dirname(__file__), "standin", "StandInNode.java")]
        else:
            main = ["-jar", a.jar]
        return ["ip", "netns", "exec", f"node-{self.name}", *jvm, *main, *[f"--{k}={v}" for k, v in props.items()]]

    def start(self) -> None:
        self.starts += 1
        logf = open(os.path.join(self.out_dir, f"node-{self.name}.log"), "a")
        logf.write(f"\n===== start #{self.starts} at {time.strftime('%H:%M:%S')}: {' '.join(self.command())}\n")
        logf.flush()
        # `ip netns exec` execs java, so the pid is the JVM's
        self.proc = subprocess.Popen(self.command(), stdout=logf, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     start_new_session=True)
        self.pid_history.append(self.proc.pid)

    def wait_ready(self, timeout: float) -> float:
        t0 = time.time()
        while time.time() - t0 < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"node {self.name} exited with {self.proc.returncode}; see node-{self.name}.log")
            try:
                js = self.caller.get("/api/stats", timeout=3)
                if isinstance(js, dict) and _pick(js, "sent") is not None:
                    return time.time() - t0
            except Exception:  # noqa: BLE001 - not up yet
                pass
            time.sleep(0.2)
        raise TimeoutError(f"node {self.name} not ready after {timeout}s; see node-{self.name}.log")

    def kill9(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def rss_kb(self) -> int | None:
        if not self.alive():
            return None
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        except OSError:
            return None
        return None

    def stats(self) -> dict:
        st = norm_stats(self.caller.get("/api/stats"))
        st["kernel"] = kernel_udp_drops(f"node-{self.name}")
        return st

    def failures(self) -> list[dict]:
        return norm_failures(self.caller.get("/api/failures"))


def kernel_udp_drops(netns: str) -> int:
    """UDP datagrams the kernel of namespace `netns` dropped (receive errors, full socket buffers), or 0."""
    try:
        lines = [ln.split() for ln in sh("ip", "netns", "exec", netns, "cat", "/proc/net/snmp").splitlines()
                 if ln.startswith("Udp:")]
        row = dict(zip(lines[0][1:], (int(v) for v in lines[1][1:])))
        return row.get("InErrors", 0) + row.get("SndbufErrors", 0)
    except Exception:  # noqa: BLE001 - namespace gone or counters missing: nothing to add
        return 0


# --------------------------------------------------------------------------- faults


class Faults:
    """nft drop rules and link flaps, all inside the router namespace."""

    def __init__(self, port: int, multipath: bool = False):
        self.port = port
        self.multipath = multipath
        self.handles: list[int] = []

    def nft(self, *args: str) -> str:
        return sh("ip", "netns", "exec", ROUTER, "nft", *args)

    def add_loss(self, pct: int, pairs: list[tuple[str, str]], tag: str, net: int = 1) -> None:
        """Drops pct % of the library's datagrams travelling src -> dst for each (src, dst), on net1 (the
        router's forward hook) or net2 (the switch's bridge forward hook)."""
        for s, d in pairs:
            if net == 1:
                self.nft("add", "rule", "inet", "chaos", "faults", "iifname", f"veth-{s}", "oifname", f"veth-{d}",
                         "udp", "dport", str(self.port), "numgen", "random", "mod", "100", "<", str(pct),
                         "counter", "drop", "comment", f'"{tag}"')
            else:
                sh("ip", "netns", "exec", SWITCH, "nft", "add", "rule", "bridge", "chaos", "faults",
                   "iifname", f"sw-{s}", "oifname", f"sw-{d}", "udp", "dport", str(self.port),
                   "numgen", "random", "mod", "100", "<", str(pct), "counter", "drop", "comment", f'"{tag}"')

    def counters(self) -> dict:
        out = self._counters(self.nft("-j", "list", "chain", "inet", "chaos", "faults"), "veth-", "")
        if self.multipath:
            out.update(self._counters(sh("ip", "netns", "exec", SWITCH, "nft", "-j", "list", "chain", "bridge",
                                         "chaos", "faults"), "sw-", " net2"))
        return out

    @staticmethod
    def _counters(listing: str, prefix: str, suffix: str) -> dict:
        js = json.loads(listing)
        out = {}
        for item in js.get("nftables", []):
            rule = item.get("rule")
            if not rule:
                continue
            names, pkts = [], 0
            for e in rule.get("expr", []):
                if "match" in e and isinstance(e["match"].get("right"), str):
                    names.append(e["match"]["right"].replace(prefix, ""))
                if "counter" in e:
                    pkts = e["counter"].get("packets", 0)
            out[">".join(names[:2]) + suffix] = pkts
        return out

    def clear(self) -> None:
        sh("ip", "netns", "exec", ROUTER, "nft", "flush", "chain", "inet", "chaos", "faults", check=False)
        if self.multipath:
            sh("ip", "netns", "exec", SWITCH, "nft", "flush", "chain", "bridge", "chaos", "faults", check=False)

    def link(self, node: str, up: bool, net: int | str = 1) -> None:
        """Takes node's link on net1 (its veth at the router), net2 (its port on the switch) or both down/up."""
        if net in (1, "both"):
            sh("ip", "-n", ROUTER, "link", "set", f"veth-{node}", "up" if up else "down")
        if net in (2, "both"):
            sh("ip", "-n", SWITCH, "link", "set", f"sw-{node}", "up" if up else "down")


# --------------------------------------------------------------------------- load


class Direction:
    """Bounded, paced load src -> dst: `rate` messages a second, at most `count`, stopped by `stop`."""

    def __init__(self, phase: str, src: str, dst: str, rate: float, count: int, port: int, threads: int,
                 t0: float, hard_deadline: float, stop: threading.Event, src_up: threading.Event):
        self.phase, self.src, self.dst, self.rate, self.count = phase, src, dst, rate, count
        self.port, self.t0, self.hard_deadline, self.stop, self.src_up = port, t0, hard_deadline, stop, src_up
        self.accepted: dict[str, dict] = {}   # userBuffer -> {msgId, t_before, t_after}
        self.rejected = 0                      # 503: chain full (not sent, not counted by the node)
        self.bad = 0                           # other statuses
        self.errors = 0                        # connection errors (node down)
        self.skipped = 0                       # scheduled while the source node was down
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._run, args=(k, threads), daemon=True,
                                         name=f"load-{src}{dst}-{k}") for k in range(threads)]

    def start(self) -> None:
        for t in self.threads:
            t.start()

    def join(self) -> None:
        for t in self.threads:
            t.join()

    def _run(self, k: int, n: int) -> None:
        enter_netns(f"node-{self.src}")
        client = Http(self.port, timeout=5)
        i = k
        while i < self.count and not self.stop.is_set():
            due = self.t0 + i / self.rate
            now = time.time()
            if now > self.hard_deadline:
                break
            if due > now:
                if self.stop.wait(due - now):
                    break
            if not self.src_up.is_set():
                # the source node is down: skip what falls due until it is back
                self.src_up.wait(max(0.0, self.hard_deadline - time.time()))
                skip_to = max(i, int(math.ceil((time.time() - self.t0) * self.rate)))
                skip_to += (k - skip_to) % n
                with self.lock:
                    self.skipped += (skip_to - i) // n
                i = skip_to
                continue
            ub = f"{self.phase}:{self.src}>{self.dst}:{i}"
            t_before = time.time()
            try:
                status, body = client.request("POST", "/api/messages",
                                              {"peer": self.dst, "payload": f"chaos {ub}", "userBuffer": ub})
            except (OSError, http.client.HTTPException):
                with self.lock:
                    self.errors += 1
                i += n
                continue
            t_after = time.time()
            with self.lock:
                if status == 202 and isinstance(body, dict) and "msgId" in body:
                    self.accepted[ub] = {"msgId": body["msgId"], "t0": t_before, "t1": t_after}
                elif status == 503:
                    self.rejected += 1
                else:
                    self.bad += 1
            i += n
        client.close()


# --------------------------------------------------------------------------- sampler


class Sampler:
    """Polls every node's /api/stats (and /api/failures, merged so a bounded list loses nothing)."""

    def __init__(self, nodes: dict[str, Node], period: float, failure_period: float, t_start: float):
        self.nodes, self.period, self.failure_period, self.t_start = nodes, period, failure_period, t_start
        self.samples: list[dict] = []
        self.rss: list[dict] = []
        self.lock = threading.Lock()
        self.stop_ev = threading.Event()
        # failures seen per node incarnation (pid): multiset of entries
        self.failures: dict[int, Counter] = defaultdict(Counter)
        self.threads = [threading.Thread(target=self._run, args=(n,), daemon=True, name=f"sample-{n}")
                        for n in nodes]
        self.rss_thread = threading.Thread(target=self._rss, daemon=True, name="rss")

    def start(self) -> None:
        for t in self.threads:
            t.start()
        self.rss_thread.start()

    def stop(self) -> None:
        self.stop_ev.set()

    def _run(self, name: str) -> None:
        enter_netns(f"node-{name}")
        node = self.nodes[name]
        client = Http(node.args.http_port, timeout=2)
        last_fail = 0.0
        while not self.stop_ev.is_set():
            t = time.time()
            pid = node.proc.pid if node.proc else None
            if node.alive():
                try:
                    status, js = client.request("GET", "/api/stats")
                    if status == 200 and isinstance(js, dict):
                        s = norm_stats(js)
                        with self.lock:
                            self.samples.append({"t": round(t - self.t_start, 3), "node": name, "pid": pid,
                                                 "pending": s["pending"], "delivered": s["delivered"],
                                                 "sent": s["sent"], "acked": s["acked"], "failed": s["failed"],
                                                 "retransmitted": s["retransmitted"],
                                                 "paths": _path_states(js)})
                    if t - last_fail >= self.failure_period:
                        last_fail = t
                        self.merge_failures(pid, client)
                except (OSError, http.client.HTTPException, ValueError):
                    client.close()
            self.stop_ev.wait(max(0.0, self.period - (time.time() - t)))
        client.close()

    def merge_failures(self, pid: int, client: Http) -> None:
        status, js = client.request("GET", "/api/failures")
        if status != 200:
            return
        snap = Counter(json.dumps(f, sort_keys=True) for f in norm_failures(js))
        with self.lock:
            seen = self.failures[pid]
            for k, c in snap.items():
                if c > seen[k]:
                    seen[k] = c

    def failures_of(self, pid: int) -> list[dict]:
        with self.lock:
            return [json.loads(k) for k, c in self.failures[pid].items() for _ in range(c)]

    def _rss(self) -> None:
        while not self.stop_ev.is_set():
            t = time.time() - self.t_start
            with self.lock:
                for n, node in self.nodes.items():
                    kb = node.rss_kb()
                    if kb is not None:
                        self.rss.append({"t": round(t, 1), "node": n, "pid": node.proc.pid, "rss_mb": round(kb / 1024, 1)})
            self.stop_ev.wait(2.0 if self.period < 1 else 10.0)


# --------------------------------------------------------------------------- phases


def _epoch(iso) -> float | None:
    """An ISO-8601 instant (as Jackson writes java.time.Instant) or epoch millis, in epoch seconds."""
    if iso is None:
        return None
    if isinstance(iso, (int, float)):
        return iso / 1000.0 if iso > 1e11 else float(iso)
    try:
        from datetime import datetime
        return datetime.fromisoformat(str(iso).replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def q_attempt_fail(phase: dict, s: str, d: str) -> float:
    """Probability that one attempt (data s->d and its ack d->s) is lost, from the phase's loss rules."""
    loss = phase.get("loss")
    if not loss:
        return 0.0
    p = loss["pct"] / 100.0
    pairs = {tuple(x) for x in loss["pairs"]}
    data_ok = 1 - p if (s, d) in pairs else 1.0
    ack_ok = 1 - p if (d, s) in pairs else 1.0
    return 1 - data_ok * ack_ok


class Run:
    def __init__(self, args):
        self.args = args
        self.out = args.out
        os.makedirs(self.out, exist_ok=True)
        self.t_start = time.time()
        self.nodes = {n: Node(n, args, self.out) for n in NODES}
        self.faults = Faults(args.udp_port, args.multipath)
        self.sampler = Sampler(self.nodes, args.sample_ms / 1000.0, 0.5, self.t_start)
        self.phases: list[dict] = []
        self.interval = args.interval_ms / 1000.0
        self.span = (args.max_retries + 1) * self.interval   # first send to failure
        self.results: dict = {}

    def rel(self, t: float) -> float:
        return round(t - self.t_start, 3)

    # ---- lifecycle
    def start_nodes(self) -> None:
        for n in self.nodes.values():
            n.start()
        for n in self.nodes.values():
            log(f"node {n.name} ready in {n.wait_ready(self.args.start_timeout):.1f}s (pid {n.proc.pid})")
        self.sampler.start()

    def shutdown(self) -> None:
        self.sampler.stop()
        try:
            self.faults.clear()
            for n in NODES:
                self.faults.link(n, True, "both" if self.args.multipath else 1)
        except Exception:  # noqa: BLE001 - namespaces may be gone already
            pass
        for n in self.nodes.values():
            n.stop()

    def snapshot(self) -> dict:
        return {n: node.stats() for n, node in self.nodes.items() if node.alive()}

    def wait_drained(self, deadline: float, nodes=None) -> float | None:
        """Polls until every node's chain is empty; returns the time it happened (None on timeout)."""
        nodes = nodes or NODES
        while time.time() < deadline:
            t = time.time()
            try:
                if all(self.nodes[n].caller.get("/api/stats", 3).get("pending") == 0 for n in nodes):
                    return t
            except Exception:  # noqa: BLE001 - a node being restarted
                pass
            time.sleep(0.02)
        return None

    # ---- one phase
    def run_phase(self, ph: dict) -> dict:
        a = self.args
        name = ph["name"]
        log(f"phase {name}: {ph['desc']}")
        self.faults.clear()
        if self.wait_drained(time.time() + self.span + 10) is None:
            log("warning: chains not empty before the phase")
        before = self.snapshot()
        pids_before = {n: self.nodes[n].proc.pid for n in NODES}
        load_s = ph["load_s"]
        rate = ph.get("rate", a.rate)
        stop = threading.Event()
        up = {n: threading.Event() for n in NODES}
        for e in up.values():
            e.set()
        t0 = time.time() + 0.2
        hard = t0 + load_s + ph.get("extra_s", 0) + 30
        dirs = {(s, d): Direction(name, s, d, rate, int(rate * (load_s + ph.get("extra_s", 0))) + 1, a.http_port,
                                  a.threads, t0, hard, stop, up[s]) for s, d in DIRECTIONS}
        rec = {"name": name, "desc": ph["desc"], "kind": ph["kind"], "t_start": self.rel(t0), "events": []}
        for dr in dirs.values():
            dr.start()

        def at(rel_s: float) -> None:
            delay = t0 + rel_s - time.time()
            if delay > 0:
                time.sleep(delay)

        def event(label: str) -> float:
            t = time.time()
            rec["events"].append({"t": self.rel(t), "what": label})
            return t

        mid = None
        t_fault_on = t_fault_off = None
        killed = None
        if ph["kind"] in ("baseline", "loss"):
            if ph.get("loss"):
                net = ph["loss"].get("net", 1)
                self.faults.add_loss(ph["loss"]["pct"], [tuple(x) for x in ph["loss"]["pairs"]], name, net)
                t_fault_on = event(f"nft drop {ph['loss']['pct']}% on" + (f" net{net}" if a.multipath else ""))
            at(load_s)
            stop.set()
            for dr in dirs.values():
                dr.join()
            rec["nft_dropped"] = self.faults.counters() if ph.get("loss") else {}
            self.faults.clear()
            t_fault_off = event("load stops, fault off")
        elif ph["kind"] == "flap":
            node, down_at, up_at = ph["node"], ph["down_at"], ph["up_at"]
            if ph.get("loss"):  # soak: the background loss stays on during the flap
                self.faults.add_loss(ph["loss"]["pct"], [tuple(x) for x in ph["loss"]["pairs"]], name)
            net = ph.get("net", 1)
            what = {1: f"veth-{node}", 2: f"sw-{node} (net2)", "both": f"veth-{node} and sw-{node}"}[net]
            at(down_at)
            self.faults.link(node, False, net)
            t_fault_on = event(f"{what} down")
            at(up_at)
            tail = ph.get("tail_s", 0)
            if not tail:
                stop.set()  # load stops as the link returns, so the drain measures the backlog alone
            self.faults.link(node, True, net)
            t_fault_off = event(f"{what} up" + ("" if tail else ", load stops"))
            if tail:  # multipath: the load goes on while the first address takes the traffic back
                at(up_at + tail)
                stop.set()
                event("load stops")
            for dr in dirs.values():
                dr.join()
            rec["nft_dropped"] = self.faults.counters() if ph.get("loss") else {}
            self.faults.clear()
        elif ph["kind"] == "restart":
            node = self.nodes[ph["node"]]
            at(ph["kill_at"])
            up[node.name].clear()
            pre_kill = node.stats()
            killed = {"pid": node.proc.pid, "stats": pre_kill}
            node.kill9()
            t_fault_on = event(f"kill -9 node {node.name}")
            node.start()
            ready_s = node.wait_ready(a.start_timeout)
            # the others' counters at the moment the new incarnation may start sending
            mid = {n: self.nodes[n].stats() for n in NODES if n != node.name}
            mid[node.name] = node.stats()
            t_fault_off = event(f"node {node.name} restarted ({ready_s:.1f}s)")
            up[node.name].set()
            time.sleep(ph["after_restart_s"])
            stop.set()
            for dr in dirs.values():
                dr.join()
            event("load stops")
            t_fault_off_drain = time.time()
        t_ref = t_fault_off if ph["kind"] != "restart" else t_fault_off_drain
        if ph.get("tail_s"):
            t_ref = t0 + ph["up_at"] + ph["tail_s"]
        t_drained = self.wait_drained(time.time() + self.span + 15)
        drain_s = None if t_drained is None else round(max(0.0, t_drained - t_ref), 3)
        rec["t_fault_on"] = None if t_fault_on is None else self.rel(t_fault_on)
        rec["t_fault_off"] = None if t_fault_off is None else self.rel(t_fault_off)
        time.sleep(max(0.6, self.sampler.failure_period * 2))  # failure callbacks and one more failure poll
        after = self.snapshot()
        fails = {}
        for n in NODES:
            pid = self.nodes[n].proc.pid
            # one last complete read of this incarnation's failures
            try:
                snap = Counter(json.dumps(f, sort_keys=True) for f in self.nodes[n].failures())
                with self.sampler.lock:
                    seen = self.sampler.failures[pid]
                    for k, c in snap.items():
                        if c > seen[k]:
                            seen[k] = c
            except Exception:  # noqa: BLE001
                pass
            fails[n] = [f for f in self.sampler.failures_of(pid) if str(f.get("userBuffer", "")).startswith(name + ":")]
        rec["t_end"] = self.rel(time.time())
        rec["drain_s"] = drain_s
        self.delivery_times(ph, rec, dirs, t0, t_fault_on, t_fault_off)
        self.evaluate(ph, rec, dirs, before, after, mid, killed, fails, pids_before, t_fault_on, t_fault_off)
        return rec

    # ---- delivery times
    def delivery_times(self, ph, rec, dirs, t0, t_on, t_off) -> None:
        """Delivery time of each message: from the driver's POST (t0, before the node accepted it) to the
        receiver's handler (GET /api/deliveries; all namespaces share the host's clock). Percentiles per
        phase, and for multipath flaps the window while failing over and the window after it."""
        got = {}
        for n in NODES:
            try:
                js = self.nodes[n].caller.get(f"/api/deliveries?since={int((t0 - 1) * 1000)}", 20)
            except Exception as e:  # noqa: BLE001 - an older sample-app without the endpoint
                log(f"delivery times unavailable from node {n}: {e}")
                rec["delivery"] = None
                return
            for cid, mid, at in js.get("deliveries", []):
                got[(n, cid, mid)] = at / 1000.0
        per_msg = []  # (direction, sent_at, delivery_s)
        for (s, d), dr in dirs.items():
            for ub, m in dr.accepted.items():
                at = got.get((d, CLIENT_ID[s], m["msgId"]))
                if at is not None:
                    per_msg.append((f"{s}>{d}", m["t0"], max(0.0, at - m["t0"])))
        out = {"messages": len(per_msg), "all": _pct([x[2] for x in per_msg])}
        rec["delivery_series"] = _series_max(per_msg, self.t_start)
        if ph["kind"] == "flap" and self.args.multipath and t_on is not None:
            node = ph["node"]
            touched = [x for x in per_msg if node in x[0].split(">")]
            # failover: the first sample after the fault in which each sender shows the touched
            # path FAILED (sampled every --sample-ms)
            fo = self.failover_times(ph, t_on, t_off)
            rec["failover_s"] = fo
            done = max(fo.values()) if fo and all(v is not None for v in fo.values()) else None
            window_end = t_on + (done if done is not None else 1.0)
            out["failing_over"] = _pct([x[2] for x in touched if t_on <= x[1] < window_end])
            after_from = window_end + self.interval
            out["after_failover"] = _pct([x[2] for x in touched if after_from <= x[1] < t_off])
            out["after_window_starts_s"] = round(after_from - t_on, 3)
            if ph.get("tail_s"):
                out["after_link_returns"] = _pct([x[2] for x in touched if t_off <= x[1]])
        rec["delivery"] = out
        if ph["name"] == "mp-baseline" and out["all"]:
            self.no_fault_p99_ms = out["all"]["p99_ms"]
        if (out.get("failing_over") or out.get("after_failover")) and not ph.get("expect_failures"):
            goals = []
            two = 2 * self.interval * 1000
            if out.get("failing_over"):
                v = out["failing_over"]["p99_ms"]
                goals.append({"what": f"p99 while failing over <= 2 intervals ({two:.0f} ms)", "met": v <= two,
                              "detail": f"{v} ms"})
            base = getattr(self, "no_fault_p99_ms", None)
            if out.get("after_failover") and base is not None:
                v = out["after_failover"]["p99_ms"]
                # "back to the no-fault p99": within the no-fault p99 plus 20 % (run-to-run spread)
                goals.append({"what": "p99 one interval after failover back to the no-fault p99 (+20 %)",
                              "met": v <= base * 1.2 + 1, "detail": f"{v} ms vs no-fault {base} ms"})
            rec["goals"] = goals

    def failover_times(self, ph, t_on, t_off) -> dict:
        """Seconds from the fault until each node's view of the touched node's affected path reads FAILED."""
        node, net = ph["node"], ph.get("net", 1)
        index = 0 if net in (1, "both") else 1
        on, off = t_on - self.t_start, t_off - self.t_start
        out = {}
        with self.sampler.lock:
            samples = list(self.sampler.samples)
        for n in NODES:
            peers = [p for p in NODES if p != n] if n == node else [node]
            for p in peers:
                hit = next((sm["t"] for sm in samples if sm["node"] == n and on <= sm["t"] <= off
                            and (sm.get("paths") or {}).get(p, [None, None])[index] == "FAILED"), None)
                out[f"{n}>{p}"] = None if hit is None else round(hit - on, 3)
        return out

    # ---- invariants
    def evaluate(self, ph, rec, dirs, before, after, mid, killed, fails, pids_before, t_on, t_off) -> None:
        a = self.args
        n_tx = a.max_retries + 1
        checks = []

        def check(ok: bool, what: str, detail: str = "") -> None:
            checks.append({"ok": bool(ok), "what": what, "detail": detail})

        restarted = ph.get("node") if ph["kind"] == "restart" else None
        rows = []
        for (s, d), dr in dirs.items():
            # counters of the sender for this peer over the phase; a restarted sender counts from its
            # new incarnation (its first one died with its pending messages: reported, not checked)
            s0 = mid[s] if s == restarted else before[s]
            ps0, ps1 = s0["peers"].get(d, {}), after[s]["peers"].get(d, {})
            delta = lambda f: (ps1.get(f) or 0) - (ps0.get(f) or 0)  # noqa: E731
            # deliveries at the receiver from this sender over the same span
            r0 = mid[d] if (d == restarted or s == restarted) else before[d]
            rd = (after[d]["peers"].get(s, {}).get("delivered") or 0) - (r0["peers"].get(s, {}).get("delivered") or 0)
            if d == restarted:
                # the killed incarnation's deliveries (read just before kill -9) plus all of the new one's:
                # it delivers retransmissions of messages sent during the downtime as soon as its
                # messenger starts, before its HTTP port answers
                rd = (killed["stats"]["peers"].get(s, {}).get("delivered") or 0) - \
                     (before[d]["peers"].get(s, {}).get("delivered") or 0) + \
                     (after[d]["peers"].get(s, {}).get("delivered") or 0)
            accepted = {ub: m for ub, m in dr.accepted.items()
                        if not (s == restarted and m["t0"] < t_off)}
            sent, acked, failed, pend = delta("sent"), delta("acked"), delta("failed"), ps1.get("pending") or 0
            lost = sent - acked - failed
            row = {"dir": f"{s}>{d}", "accepted": len(accepted), "rejected503": dr.rejected, "http_errors": dr.errors,
                   "skipped_node_down": dr.skipped, "sent": sent, "acked": acked, "failed": failed,
                   "pending_end": pend, "lost": lost, "delivered": rd, "retransmitted": delta("retransmitted"),
                   "retransmits_per_msg": round(delta("retransmitted") / sent, 3) if sent else 0.0}
            if s == restarted:
                k0, k1 = before[s]["peers"].get(d, {}), killed["stats"]["peers"].get(d, {})
                row["before_kill"] = {f: (k1.get(f) or 0) - (k0.get(f) or 0) for f in ("sent", "acked", "failed")}
                row["before_kill"]["died_pending"] = k1.get("pending") or 0
            q = q_attempt_fail(ph, s, d)
            row["loss_per_attempt"] = round(q, 4)
            row["expected_failed"] = round(sent * q ** n_tx, 2)
            # failures reported to the sender's failure listener during this phase
            fl = [f for f in fails[s] if f["peer"] == d]
            row["failure_reports"] = len(fl)
            # time from POST to the failure report, against the promised (max-retries + 1) x interval
            lat = sorted(_epoch(f.get("time")) - accepted[f["userBuffer"]]["t1"] for f in fl
                         if f["userBuffer"] in accepted and _epoch(f.get("time")) is not None)
            if lat:
                row["time_to_failure_s"] = {"min": round(lat[0], 3), "median": round(lat[len(lat) // 2], 3),
                                            "max": round(lat[-1], 3), "promised": round(n_tx * self.interval, 3)}
            by_ub = Counter(f["userBuffer"] for f in fl)
            twice = [ub for ub, c in by_ub.items() if c > 1]
            unknown = [f for f in fl if f["userBuffer"] not in accepted]
            wrong_id = [f for f in fl if f["userBuffer"] in accepted and f["msgId"] != accepted[f["userBuffer"]]["msgId"]]
            wrong_tx = [f for f in fl if f.get("attempts") not in (None, n_tx) or f.get("reason") not in (None, "RETRIES_EXHAUSTED")]
            tag = f"{s}>{d}"
            check(sent == len(accepted), f"{tag}: every 202 counted as sent once", f"node sent {sent}, driver saw {len(accepted)} accepted")
            check(pend == 0 and lost == 0, f"{tag}: lost = 0 (sent = acked + failed, chain empty)",
                  f"sent {sent} acked {acked} failed {failed} pending {pend}")
            check(len(fl) == failed and not twice, f"{tag}: each failure reported exactly once",
                  f"failed {failed}, reports {len(fl)}, reported twice {len(twice)}")
            check(not unknown and not wrong_id and not wrong_tx, f"{tag}: failure reports carry the message's own user buffer and id",
                  f"unknown buffers {len(unknown)}, wrong ids {len(wrong_id)}, wrong attempts/reason {len(wrong_tx)}")
            if d == restarted:
                # deliveries between the last read of the old incarnation and SIGKILL are not seen: slack
                slack = int(dr.rate * 0.1) + 5
                check(acked - slack <= rd <= acked + failed, f"{tag}: acked <= delivered (old + new incarnation) <= acked + failed",
                      f"delivered {rd}, acked {acked}, failed {failed} (slack {slack} for deliveries in the instant before kill -9)")
            else:
                if failed == 0:
                    check(rd == acked, f"{tag}: delivered exactly once (delivered = acked)", f"delivered {rd}, acked {acked}")
                else:
                    check(acked <= rd <= acked + failed, f"{tag}: acked <= delivered <= acked + failed",
                          f"delivered {rd}, acked {acked}, failed {failed}")
            if ph["kind"] in ("baseline",) or (ph["kind"] == "flap" and not ph.get("expect_failures")):
                check(failed == 0, f"{tag}: nothing fails", f"failed {failed}")
            # copies the nodes themselves dropped in this direction, not the injected loss: acks the
            # sender judged stale (round trip > interval, S9: a slow machine), data the receiver judged
            # stale or could not queue, and datagrams the kernels dropped. A message fails only when every
            # one of its copies is lost; at most one failure per such drop is outside the model.
            r1 = after[d]["peers"].get(s, {})
            rb = (mid if d == restarted else before)[d]["peers"].get(s, {})
            own = delta("staleAcks") + (r1.get("stale") or 0) - (rb.get("stale") or 0) + \
                (r1.get("rejected") or 0) - (rb.get("rejected") or 0) + \
                (after[s].get("sendDrops") or 0) - (s0.get("sendDrops") or 0) + \
                sum((after[n].get("kernel") or 0) - ((mid if n == restarted else before)[n].get("kernel") or 0)
                    for n in (s, d))
            row["dropped_by_nodes"] = own
            if ph["kind"] == "loss":
                bound = row["expected_failed"] + 6 * math.sqrt(max(row["expected_failed"], 0.0)) + 3 + own
                # when they came (seconds into the phase): a burst points at a stalled node, not at the loss
                when = sorted(round(_epoch(f.get("time")) - self.t_start - rec["t_start"], 2) for f in fl if _epoch(f.get("time")) is not None)
                check(failed <= bound, f"{tag}: failures within the loss model (<= {bound:.1f})",
                      f"failed {failed}, expected {row['expected_failed']}, copies dropped by the nodes "
                      f"themselves {own} (stale acks/data, queue full, kernel); failure reports at s {when[:40]}")
            if ph["kind"] == "flap" and ph.get("expect_failures"):
                node = ph["node"]
                if node in (s, d):
                    # sent after the link went down and due to fail before it came back: must fail. (A copy
                    # sent during the outage can wait in the kernel's neighbour queue for ARP and leave when
                    # the link returns, so only a message whose whole retry span, up to its failure at
                    # (max-retries + 1) x interval, lies inside the outage is certain to fail.)
                    # The margin covers the loop's timer slip: each retransmission is due one interval
                    # after the previous copy actually left, so late wake-ups on a loaded machine add
                    # up (measured: failures up to ~0.3 s after the promised span with 2 CPUs, 3 JVMs).
                    margin = max(0.5, 2 * self.interval)
                    doomed = [ub for ub, m in accepted.items()
                              if m["t0"] >= t_on + 0.05 and m["t1"] + n_tx * self.interval + margin < t_off]
                    missing = [ub for ub in doomed if by_ub.get(ub) != 1]
                    row["sent_into_outage"] = len(doomed)
                    check(len(doomed) > 0 and not missing, f"{tag}: every message sent into the outage failed once with its buffer",
                          f"{len(doomed)} sent into the outage, {len(missing)} not reported exactly once")
                else:
                    check(failed == 0, f"{tag}: untouched pair loses nothing", f"failed {failed}")
            if s == restarted:
                check(sent > 0 and acked == sent, f"{tag}: restarted incarnation's messages all acked",
                      f"sent {sent} acked {acked} failed {failed}")
                check(rd == sent, f"{tag}: restarted incarnation's messages delivered once each", f"delivered {rd} of {sent}")
            rows.append(row)
        # delivered twice (sample-app's DeliveryLog keeps message keys): per node over the phase
        dup = 0
        dup_known = True
        for n in NODES:
            b0 = mid[n] if n == restarted else before[n]
            v0, v1 = b0.get("deliveredTwice"), after[n].get("deliveredTwice")
            if v1 is None:
                dup_known = False
                continue
            dup += v1 - (v0 or 0)
        rec["duplicates_delivered"] = dup if dup_known else None
        if dup_known:
            check(dup == 0, "no message delivered twice (receivers' message-key check)", f"delivered twice: {dup}")
        rec["drain_goal_s"] = round(self.interval + 1.0, 3)
        if rec["drain_s"] is None:
            check(False, "chains drain", "pending never reached 0")
        else:
            check(rec["drain_s"] <= self.interval + 1.0, f"chains drain within interval + 1 s after the fault ends",
                  f"{rec['drain_s']} s")
        rec["directions"] = rows
        rec["checks"] = checks
        rec["ok"] = all(c["ok"] for c in checks)
        tot = lambda f: sum(r[f] for r in rows)  # noqa: E731
        rec["totals"] = {f: tot(f) for f in ("sent", "acked", "failed", "delivered", "lost", "retransmitted",
                                             "rejected503", "expected_failed",
                                             "dropped_by_nodes")}
        if killed is not None:
            rec["killed"] = {"pid": killed["pid"], "pending_lost_with_process":
                             killed["stats"].get("pending")}
        bad = [c for c in checks if not c["ok"]]
        log(f"phase {ph['name']}: {'OK' if not bad else 'FAILED'}; sent {rec['totals']['sent']} acked {rec['totals']['acked']} "
            f"failed {rec['totals']['failed']} delivered {rec['totals']['delivered']} drain {rec['drain_s']} s")
        for c in bad:
            log(f"   INVARIANT FAILED: {c['what']}: {c['detail']}")


def _pct(xs: list[float]) -> dict | None:
    """p50 / p99 / max of delivery times in milliseconds, or None without samples."""
    if not xs:
        return None
    xs = sorted(xs)
    q = lambda f: xs[min(len(xs) - 1, int(math.ceil(f * len(xs))) - 1)]  # noqa: E731
    return {"n": len(xs), "p50_ms": round(q(0.5) * 1000, 1), "p99_ms": round(q(0.99) * 1000, 1),
            "max_ms": round(xs[-1] * 1000, 1)}


def _series_max(per_msg, t_start: float, bucket: float = 0.2) -> list:
    """[t, max delivery ms] per bucket of send time (run-relative seconds), for the timeline."""
    by = defaultdict(float)
    for _, sent, dt in per_msg:
        b = round(math.floor((sent - t_start) / bucket) * bucket, 3)
        by[b] = max(by[b], dt * 1000)
    return [[t, round(v, 1)] for t, v in sorted(by.items())]


# --------------------------------------------------------------------------- plans


def ci_plan(a) -> list[dict]:
    L = a.phase_seconds
    span = (a.max_retries + 1) * a.interval_ms / 1000.0
    short_down = round(max(0.3, span * 0.45), 2)
    long_down = round(span * 2.2, 2)
    one = [("a", "b")]
    both = [p for p in DIRECTIONS]
    plan = [{"name": "baseline", "kind": "baseline", "desc": "no fault", "load_s": L}]
    for pct in (10, 30, 50):
        plan.append({"name": f"loss{pct}-oneway", "kind": "loss", "desc": f"nft drops {pct}% of datagrams a->b",
                     "load_s": L, "loss": {"pct": pct, "pairs": one}})
        plan.append({"name": f"loss{pct}-both", "kind": "loss",
                     "desc": f"nft drops {pct}% of datagrams on every path, both directions",
                     "load_s": L, "loss": {"pct": pct, "pairs": both}})
    plan.append({"name": "flap-short", "kind": "flap", "node": "b", "down_at": 1.5, "up_at": 1.5 + short_down,
                 "load_s": 1.5 + short_down,
                 "desc": f"veth-b down {short_down}s (< retry span {span:.1f}s): everything gets through"})
    plan.append({"name": "flap-long", "kind": "flap", "node": "b", "down_at": 1.5, "up_at": 1.5 + long_down,
                 "load_s": 1.5 + long_down, "expect_failures": True,
                 "desc": f"veth-b down {long_down}s (> retry span {span:.1f}s): messages sent into it fail once each"})
    plan.append({"name": "restart-c", "kind": "restart", "node": "c", "kill_at": 1.5, "after_restart_s": 3.0,
                 "load_s": 1.5, "extra_s": a.start_timeout + 4,
                 "desc": "kill -9 node c mid-stream, restart it; its new incarnation's messages are delivered"})
    return plan


def mp_plan(a) -> list[dict]:
    """Two networks per node (--multipath): one network of node b fails for longer than the retry
    span, then the other, then one network loses 30 %, then both fail. Issue: multi-path peers."""
    span = (a.max_retries + 1) * a.interval_ms / 1000.0
    both = [p for p in DIRECTIONS]
    down = max(12.0, round(span * 2.2, 2))
    tail = 3.0
    return [
        {"name": "mp-warmup", "kind": "baseline", "desc": "two networks, no fault: JIT warm-up, not a reference",
         "load_s": a.phase_seconds},
        {"name": "mp-baseline", "kind": "baseline", "desc": "two networks, no fault: the no-fault delivery time",
         "load_s": a.phase_seconds},
        {"name": "mp-net1-down", "kind": "flap", "node": "b", "net": 1, "down_at": 1.5, "up_at": 1.5 + down,
         "tail_s": tail, "load_s": 1.5 + down + tail,
         "desc": f"b's net1 link down {down:.0f}s (> retry span {span:.1f}s): traffic takes net2, nothing fails"},
        {"name": "mp-net2-down", "kind": "flap", "node": "b", "net": 2, "down_at": 1.5, "up_at": 1.5 + down,
         "tail_s": tail, "load_s": 1.5 + down + tail,
         "desc": f"b's net2 link down {down:.0f}s: the standby path fails, traffic stays on net1, nothing fails"},
        {"name": "mp-loss30-net1", "kind": "baseline", "load_s": 16, "loss": {"pct": 30, "pairs": both, "net": 1},
         "desc": "nft drops 30% of datagrams on net1, every direction: retransmissions take net2, nothing fails"},
        {"name": "mp-both-down", "kind": "flap", "node": "b", "net": "both", "down_at": 1.5,
         "up_at": 1.5 + round(span * 2.2, 2), "load_s": 1.5 + round(span * 2.2, 2), "expect_failures": True,
         "desc": f"both of b's links down {span * 2.2:.2f}s (> retry span): as with one network, messages "
                 "sent into it fail once each"},
    ]


def soak_plan(a) -> list[dict]:
    """Repeats: steady 1 % loss everywhere, then a short flap, steady again, then a long flap."""
    span = (a.max_retries + 1) * a.interval_ms / 1000.0
    both = [p for p in DIRECTIONS]
    period = a.flap_every
    plan, t, k = [], 0.0, 0
    while t < a.soak:
        k += 1
        node = NODES[k % 3]
        steady = max(10.0, period - 15)
        plan.append({"name": f"soak{k}-loss1", "kind": "loss", "desc": "1% loss everywhere", "load_s": steady,
                     "loss": {"pct": 1, "pairs": both}, "rate": a.rate})
        if k % 2:
            d = round(span * 0.45, 2)
            plan.append({"name": f"soak{k}-flap-short", "kind": "flap", "node": node, "down_at": 2, "up_at": 2 + d,
                         "load_s": 2 + d, "rate": a.rate, "desc": f"veth-{node} down {d}s, 1% loss",
                         "loss": {"pct": 1, "pairs": both}})
        else:
            d = round(span * 2.2, 2)
            plan.append({"name": f"soak{k}-flap-long", "kind": "flap", "node": node, "down_at": 2, "up_at": 2 + d,
                         "load_s": 2 + d, "rate": a.rate, "expect_failures": True,
                         "desc": f"veth-{node} down {d}s, 1% loss", "loss": {"pct": 1, "pairs": both}})
        t += steady + 2 + d + 3
    return plan


# --------------------------------------------------------------------------- report


def table(phases: list[dict]) -> str:
    head = ["phase", "sent", "acked", "failed", "exp.fail", "own drops", "delivered", "dup.deliv", "lost", "retx/msg", "drain s",
            "deliv p99 ms", "ok"]
    rows = []
    for p in phases:
        t = p["totals"]
        dv = (p.get("delivery") or {}).get("all")
        rows.append([p["name"], t["sent"], t["acked"], t["failed"], f"{t['expected_failed']:.1f}",
                     t.get("dropped_by_nodes", 0), t["delivered"],
                     "n/a" if p["duplicates_delivered"] is None else p["duplicates_delivered"], t["lost"],
                     f"{t['retransmitted'] / t['sent']:.3f}" if t["sent"] else "-",
                     "-" if p["drain_s"] is None else f"{p['drain_s']:.2f}", "-" if not dv else dv["p99_ms"],
                     "yes" if p["ok"] else "NO"])
    w = [max(len(str(x)) for x in col) for col in zip(head, *rows)]
    line = lambda r: "| " + " | ".join(str(x).rjust(w[i]) if i else str(x).ljust(w[i]) for i, x in enumerate(r)) + " |"  # noqa: E731
    out = [line(head), "|" + "|".join("-" * (x + 2) for x in w) + "|", *[line(r) for r in rows]]
    fmt = lambda d: "-" if not d else f"p50 {d['p50_ms']} ms, p99 {d['p99_ms']} ms, max {d['max_ms']} ms (n={d['n']})"  # noqa: E731
    for p in phases:
        dv = p.get("delivery") or {}
        if "failing_over" in dv:
            fo = p.get("failover_s") or {}
            seen = [v for v in fo.values() if v is not None]
            out.append("")
            out.append(f"{p['name']}: failover (fault to path FAILED, sampled) "
                       + (f"{min(seen):.2f}-{max(seen):.2f} s over {len(seen)}/{len(fo)} directions" if seen else "not seen"))
            out.append(f"  delivery while failing over: {fmt(dv['failing_over'])}")
            out.append(f"  delivery from {dv['after_window_starts_s']} s after the fault: {fmt(dv['after_failover'])}")
            if "after_link_returns" in dv:
                out.append(f"  delivery after the link returns: {fmt(dv['after_link_returns'])}")
            for g in p.get("goals", []):
                out.append(f"  goal {g['what']}: {'met' if g['met'] else 'NOT met'} ({g['detail']})")
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jar", help="sample-app executable jar")
    ap.add_argument("--standin", action="store_true", help="use scripts/chaos/standin instead of sample-app")
    ap.add_argument("--core-jar", default=os.path.expanduser(
        "~/.m2/repository/io/reliablemsg/reliable-msg-core/0.1.0-SNAPSHOT/reliable-msg-core-0.1.0-SNAPSHOT.jar"))
    ap.add_argument("--out", default="target/chaos")
    ap.add_argument("--interval-ms", type=int, default=200)
    ap.add_argument("--max-retries", type=int, default=10)
    ap.add_argument("--capacity", type=int, default=5000, help="reliable-msg.max-stored-messages")
    ap.add_argument("--rate", type=float, default=None,
                    help="messages a second per direction, 6 directions (default 250; soak 50)")
    ap.add_argument("--threads", type=int, default=2, help="HTTP client threads per direction")
    ap.add_argument("--phase-seconds", type=float, default=8)
    ap.add_argument("--soak", type=float, default=0, help="soak for this many seconds instead of the CI phases")
    ap.add_argument("--multipath", action="store_true",
                    help="two networks per node (run.sh --multipath builds them): the failover phases")
    ap.add_argument("--flap-every", type=float, default=180, help="soak: seconds between flaps")
    ap.add_argument("--udp-port", type=int, default=47000)
    ap.add_argument("--http-port", type=int, default=8080)
    ap.add_argument("--heap-mb", type=int, default=256)
    ap.add_argument("--sample-ms", type=int, default=100)
    ap.add_argument("--start-timeout", type=float, default=60)
    ap.add_argument("--only", default="", help="comma-separated phase names to run (development)")
    ap.add_argument("--node-prop", action="append", default=[], help="extra node property k=v ({node} = a/b/c)")
    a = ap.parse_args()
    if not a.standin and not a.jar:
        ap.error("--jar or --standin")
    if a.rate is None:
        a.rate = 50.0 if a.soak else 250.0
    if a.soak and a.sample_ms == 100:
        a.sample_ms = 1000
    plan = soak_plan(a) if a.soak else mp_plan(a) if a.multipath else ci_plan(a)
    if a.only:
        plan = [p for p in plan if p["name"] in a.only.split(",")]
    run = Run(a)
    stopped = {"sig": None}

    def on_signal(sig, _frame):
        stopped["sig"] = sig
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    status = 1
    try:
        log(f"interval {a.interval_ms} ms, max-retries {a.max_retries} (failure after {run.span:.1f}s), "
            f"rate {a.rate}/s per direction, {len(plan)} phases, nodes: {'stand-in' if a.standin else a.jar}")
        run.start_nodes()
        for ph in plan:
            run.phases.append(run.run_phase(ph))
        status = 0 if all(p["ok"] for p in run.phases) else 1
    except KeyboardInterrupt:
        log("interrupted")
        status = 130
    except Exception as e:  # noqa: BLE001 - reported, then cleaned up
        log(f"error: {type(e).__name__}: {e}")
        status = 2
    finally:
        run.sampler.stop()
        rss_end = {n: node.rss_kb() for n, node in run.nodes.items()}
        run.shutdown()
        write_results(run, a, status, rss_end)
    return status


def write_results(run: Run, a, status: int, rss_end: dict) -> None:
    import plot  # scripts/chaos/plot.py
    res = {
        "command": " ".join(sys.argv), "status": status,
        "config": {k: v for k, v in vars(a).items()},
        "topology": {"router": ROUTER, "nodes": {n: NODE_IP[n] for n in NODES}, "udp_port": a.udp_port},
        "phases": run.phases,
        "samples": run.sampler.samples,
        "rss": run.sampler.rss,
        "restarts": {n: node.pid_history for n, node in run.nodes.items()},
    }
    if run.sampler.rss:
        res["memory"] = {}
        for n in NODES:
            xs = [r["rss_mb"] for r in run.sampler.rss if r["node"] == n]
            if xs:
                q = max(1, len(xs) // 4)
                res["memory"][n] = {"first_mb": xs[0], "max_mb": max(xs), "last_mb": xs[-1],
                                    "second_quarter_avg_mb": round(sum(xs[q:2 * q]) / len(xs[q:2 * q]), 1) if len(xs) >= 2 * q else None,
                                    "last_quarter_avg_mb": round(sum(xs[-q:]) / q, 1)}
        pend = [s["pending"] for s in run.sampler.samples if s["pending"] is not None]
        res["max_pending"] = max(pend) if pend else None
    with open(os.path.join(run.out, "results.json"), "w") as f:
        json.dump(res, f, indent=1)
    svg = plot.render(res)
    with open(os.path.join(run.out, "timeline.svg"), "w") as f:
        f.write(svg)
    if run.phases:
        txt = table(run.phases)
        with open(os.path.join(run.out, "table.md"), "w") as f:
            f.write(txt + "\n")
        print()
        print(txt)
    if res.get("memory"):
        print()
        for n, m in res["memory"].items():
            print(f"node {n}: RSS first {m['first_mb']} MB, max {m['max_mb']} MB, last {m['last_mb']} MB; "
                  f"avg 2nd quarter {m['second_quarter_avg_mb']} MB, last quarter {m['last_quarter_avg_mb']} MB")
        print(f"max chain depth seen: {res['max_pending']} (capacity {a.capacity})")
    print()
    print(f"results: {run.out}/results.json, {run.out}/timeline.svg, {run.out}/table.md")
    failed = [(p["name"], c) for p in run.phases for c in p["checks"] if not c["ok"]]
    if failed:
        print(f"{len(failed)} invariant(s) FAILED:")
        for name, c in failed:
            print(f"  [{name}] {c['what']}: {c['detail']}")
    print("CHAOS RESULT:", "PASS" if status == 0 else f"FAIL (status {status})")


if __name__ == "__main__":
    sys.exit(main())
