"""SVG timeline of a chaos run: per node, chain depth (pending) and delivery rate over time, with the
fault phases shaded; a memory panel (RSS per JVM) at the bottom. Standard library only."""
from __future__ import annotations

from html import escape

W, LEFT, RIGHT, TOP = 1500, 70, 70, 50
PANEL_H, GAP = 190, 40
KIND_COLOR = {"loss": "#f5a623", "flap": "#d0021b", "restart": "#9013fe", "baseline": "#7ed321"}
NODE_LINES = {"pending": "#1f5fbf", "delivered/s": "#2e9e44", "retransmitted/s": "#e07b00"}


def _series(samples: list[dict], node: str):
    pts = [s for s in samples if s["node"] == node and s["pending"] is not None]
    pending = []
    for p, q in zip([None] + pts, pts):
        if p is not None and (p["pid"] != q["pid"] or q["t"] - p["t"] > 3.0):
            pending.append(None)  # node restarted or not answering: break the line
        pending.append((q["t"], q["pending"]))
    rates = {"delivered/s": [], "retransmitted/s": []}
    for field, key in (("delivered", "delivered/s"), ("retransmitted", "retransmitted/s")):
        raw = []
        for p, q in zip(pts, pts[1:]):
            if p["pid"] != q["pid"] or q["t"] - p["t"] > 3.0 or q["t"] <= p["t"] or p[field] is None or q[field] is None:
                raw.append(None)  # restarted (counters started again) or a gap: break the line
                continue
            raw.append((q["t"], max(0.0, (q[field] - p[field]) / (q["t"] - p["t"]))))
        # moving average over 5 samples
        for i in range(len(raw)):
            if raw[i] is None:
                rates[key].append(None)
                continue
            win = [w for w in raw[max(0, i - 2): i + 3] if w is not None]
            rates[key].append((raw[i][0], sum(v for _, v in win) / len(win)))
    return pending, rates


def _nice(v: float) -> float:
    if v <= 0:
        return 1
    m = 10 ** len(str(int(v))) / 10
    for f in (1, 2, 2.5, 5, 10):
        if f * m >= v:
            return f * m
    return 10 * m


def render(res: dict) -> str:
    samples, phases = res.get("samples", []), res.get("phases", [])
    nodes = sorted({s["node"] for s in samples}) or ["a", "b", "c"]
    t_max = max([s["t"] for s in samples] + [p.get("t_end", 0) for p in phases] + [1])
    plot_w = W - LEFT - RIGHT
    x = lambda t: LEFT + plot_w * t / t_max  # noqa: E731
    delivery = [pt for p in phases for pt in (p.get("delivery_series") or [])]
    panels = len(nodes) + (1 if res.get("rss") else 0) + (1 if delivery else 0)
    H = TOP + panels * (PANEL_H + GAP) + 40
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="11">',
           f'<rect width="{W}" height="{H}" fill="white"/>']
    cfg = res.get("config", {})
    title = (f"reliable-msg chaos run: interval {cfg.get('interval_ms')} ms, max-retries {cfg.get('max_retries')}, "
             f"{cfg.get('rate')} msg/s per direction - result {'PASS' if res.get('status') == 0 else 'FAIL'}")
    out.append(f'<text x="{LEFT}" y="20" font-size="15" font-weight="bold">{escape(title)}</text>')
    lx = LEFT
    for label, color in [("pending (left axis)", NODE_LINES["pending"]), ("delivered/s (right axis)", NODE_LINES["delivered/s"]),
                         ("retransmitted/s (right axis)", NODE_LINES["retransmitted/s"])] + \
                        [(f"{k} phase fault window", c) for k, c in KIND_COLOR.items() if k != "baseline"]:
        out.append(f'<rect x="{lx}" y="30" width="12" height="8" fill="{color}" opacity="0.8"/>'
                   f'<text x="{lx + 16}" y="38">{escape(label)}</text>')
        lx += 30 + 6.2 * len(label)

    def panel(i: int, name: str):
        y0 = TOP + i * (PANEL_H + GAP) + 10
        out.append(f'<rect x="{LEFT}" y="{y0}" width="{plot_w}" height="{PANEL_H}" fill="none" stroke="#888"/>')
        out.append(f'<text x="{LEFT}" y="{y0 - 4}" font-weight="bold">{escape(name)}</text>')
        # phases: boundary lines, names, fault windows
        for p in phases:
            xs = x(p["t_start"])
            out.append(f'<line x1="{xs:.1f}" y1="{y0}" x2="{xs:.1f}" y2="{y0 + PANEL_H}" stroke="#bbb" stroke-dasharray="2,3"/>')
            if p.get("t_fault_on") is not None and p.get("t_fault_off") is not None:
                a, b = x(p["t_fault_on"]), x(p["t_fault_off"])
                out.append(f'<rect x="{a:.1f}" y="{y0}" width="{max(1.0, b - a):.1f}" height="{PANEL_H}" '
                           f'fill="{KIND_COLOR.get("loss" if p.get("nft_dropped") else p["kind"], "#999")}" opacity="0.18"/>')
            label = p["name"] + ("" if p.get("ok", True) else " (FAILED)")
            out.append(f'<text transform="translate({xs + 3:.1f},{y0 + 10}) rotate(0)" font-size="9" fill="#555">{escape(label)}</text>')
        # x axis ticks
        step = _nice(t_max / 12)
        t = 0.0
        while t <= t_max:
            out.append(f'<line x1="{x(t):.1f}" y1="{y0 + PANEL_H}" x2="{x(t):.1f}" y2="{y0 + PANEL_H + 4}" stroke="#888"/>'
                       f'<text x="{x(t):.1f}" y="{y0 + PANEL_H + 14}" text-anchor="middle" font-size="9">{t:g}s</text>')
            t += step
        return y0

    def line(pts, y0, vmax, color, width=1.4):
        ys = lambda v: y0 + PANEL_H - (PANEL_H - 14) * v / vmax  # noqa: E731
        seg: list = []
        for pt in list(pts) + [None]:
            if pt is not None:
                seg.append(pt)
                continue
            if seg:
                d = " ".join(f"{x(t):.1f},{ys(v):.1f}" for t, v in seg)
                out.append(f'<polyline points="{d}" fill="none" stroke="{color}" stroke-width="{width}"/>')
            seg = []

    def axis(y0, vmax, side, color, label):
        xa = LEFT - 4 if side == "left" else W - RIGHT + 4
        anchor = "end" if side == "left" else "start"
        for f in (0, 0.5, 1):
            yv = y0 + PANEL_H - (PANEL_H - 14) * f
            out.append(f'<text x="{xa}" y="{yv + 3:.1f}" text-anchor="{anchor}" fill="{color}" font-size="9">{vmax * f:g}</text>')
        lxp = 14 if side == "left" else W - 10
        out.append(f'<text transform="translate({lxp},{y0 + PANEL_H / 2}) rotate(-90)" text-anchor="middle" fill="{color}" font-size="10">{label}</text>')

    for i, n in enumerate(nodes):
        pending, rates = _series(samples, n)
        y0 = panel(i, f"node {n}")
        pmax = _nice(max([p[1] for p in pending if p] + [1]))
        rmax = _nice(max([p[1] for r in rates.values() for p in r if p] + [1]))
        line(rates["retransmitted/s"], y0, rmax, NODE_LINES["retransmitted/s"], 1.0)
        line(rates["delivered/s"], y0, rmax, NODE_LINES["delivered/s"])
        line(pending, y0, pmax, NODE_LINES["pending"], 1.8)
        axis(y0, pmax, "left", NODE_LINES["pending"], "pending")
        axis(y0, rmax, "right", NODE_LINES["delivered/s"], "msgs/s")
        for p in phases:
            for e in p.get("events", []):
                if e["what"].startswith("kill") and f"node {n}" in e["what"]:
                    out.append(f'<line x1="{x(e["t"]):.1f}" y1="{y0}" x2="{x(e["t"]):.1f}" y2="{y0 + PANEL_H}" stroke="#9013fe" stroke-width="2"/>'
                               f'<text x="{x(e["t"]) + 3:.1f}" y="{y0 + 24}" fill="#9013fe" font-size="10">kill -9</text>')
    if delivery:
        y0 = panel(len(nodes), "delivery time, POST to the receiver's handler: slowest message per 0.2 s of send time (ms)")
        vmax = _nice(max(v for _, v in delivery))
        pts, prev_t = [], None
        for t, v in sorted(delivery):
            if prev_t is not None and t - prev_t > 1.0:
                pts.append(None)  # between phases: no load
            pts.append((t, v))
            prev_t = t
        line(pts, y0, vmax, "#d0021b", 1.2)
        axis(y0, vmax, "left", "#d0021b", "ms")
        interval = res.get("config", {}).get("interval_ms")
        if interval and 2 * interval <= vmax:
            yv = y0 + PANEL_H - (PANEL_H - 14) * (2 * interval) / vmax
            out.append(f'<line x1="{LEFT}" y1="{yv:.1f}" x2="{W - RIGHT}" y2="{yv:.1f}" stroke="#555" stroke-dasharray="4,3"/>'
                       f'<text x="{W - RIGHT - 4}" y="{yv - 3:.1f}" text-anchor="end" font-size="9" fill="#555">2 intervals</text>')
    if res.get("rss"):
        y0 = panel(len(nodes) + (1 if delivery else 0), "JVM resident memory (RSS, MB)")
        vmax = _nice(max(r["rss_mb"] for r in res["rss"]))
        colors = {"a": "#1f5fbf", "b": "#d0021b", "c": "#2e9e44"}
        for n in nodes:
            pts, prev = [], None
            for r in res["rss"]:
                if r["node"] != n:
                    continue
                if prev is not None and prev.get("pid") != r.get("pid"):
                    pts.append(None)  # restarted JVM
                pts.append((r["t"], r["rss_mb"]))
                prev = r
            line(pts, y0, vmax, colors.get(n, "#000"))
            last = [r for r in res["rss"] if r["node"] == n]
            if last:
                out.append(f'<text x="{W - RIGHT - 60}" y="{y0 + 14 + 12 * nodes.index(n)}" fill="{colors.get(n, "#000")}">node {n}: {last[-1]["rss_mb"]} MB</text>')
        axis(y0, vmax, "left", "#333", "MB")
    out.append("</svg>")
    return "\n".join(out)
