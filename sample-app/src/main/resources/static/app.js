// Live view of one node: polls its JSON API once a second; no build step, no library.
// The history comes from the node (GET api/history), so a reload or a late visit shows the last minutes.
"use strict";

const WINDOW_MS = 10 * 60 * 1000; // what the charts show, the node keeps as much (StatsHistory.CAPACITY s)
const SHOWN_FAILURES = 20;
const PEER_COLORS = ["#d9534f", "#8e44ad", "#16a085", "#7f8c8d"];
const RATES = [
  ["ackedPerSecond", "#2a7d2a"],
  ["retransmittedPerSecond", "#f0ad4e"],
  ["failedPerSecond", "#d9534f"],
  ["deliveredPerSecond", "#337ab7"],
];

let samples = []; // from api/history, oldest first
let capacity = 600;

const $ = (id) => document.getElementById(id);

async function getJson(path) {
  const response = await fetch(path, { cache: "no-store" });
  return { status: response.status, body: await response.json() };
}

function cell(row, value) {
  const td = document.createElement("td");
  td.textContent = value === null || value === undefined ? "?" : value;
  row.appendChild(td);
  return td;
}

// One fault injector's state (the whole node's, or one network's), or null when it drops nothing.
function describeOne(f) {
  if (f.outageRemainingMillis > 0) return "outage: " + Math.ceil(f.outageRemainingMillis / 1000) + " s left";
  return f.loss > 0 ? "dropping " + Math.round(f.loss * 100) + "% of datagrams" : null;
}

// The whole node's fault, then each network's (network n: the peers' n-th address), or "link clean".
function describeFault(f) {
  const parts = [];
  const whole = describeOne(f);
  if (whole) parts.push(whole);
  for (const network of f.networks || []) {
    const fault = describeOne(network);
    if (fault) parts.push("network " + network.network + " (" + network.addresses.join(", ") + "): " + fault);
  }
  return parts.length ? parts.join("; ") : "link clean";
}

// Figures, links, own fault and failures in one pass, so that they describe the same moment.
async function refreshNode() {
  try {
    const [{ body: s }, { body: failures }] = await Promise.all([getJson("api/stats"), getJson("api/failures")]);
    $("node").textContent = s.node + " (client id " + s.clientId + ")";
    $("fault-node").textContent = s.node;
    for (const key of ["pending", "sent", "acked", "retransmitted", "failed", "delivered"]) {
      $(key).textContent = s[key];
    }
    $("flap-controls").hidden = !s.demoControls;
    $("flap-disabled").hidden = s.demoControls;
    $("fault-state").textContent = s.faults ? describeFault(s.faults) : "no fault switch (demo controls off)";
    drawLinks(s.links || {});
    drawPaths(s.links || {});
    const multiPath = Object.values(s.links || {}).some((link) => (link.paths || []).length > 1);
    $("network-controls").hidden = !(s.demoControls && multiPath);
    drawFailures(failures);
  } catch (e) {
    $("health").textContent = "unreachable";
    $("health").className = "status unreachable";
  }
}

function drawLinks(links) {
  const rows = Object.entries(links).map(([peer, link]) => {
    const tr = document.createElement("tr");
    tr.id = "link-" + peer;
    cell(tr, peer);
    const reachable = cell(tr, link.reachable ? "yes" : "no");
    reachable.className = link.reachable ? "status UP" : "status DOWN";
    cell(tr, link.protocolRevision === null ? "unknown yet" : link.protocolRevision);
    for (const key of ["pending", "sent", "acked", "retransmitted", "failed"]) cell(tr, link.out[key]);
    for (const key of ["delivered", "duplicates", "staleMessagesDropped"]) cell(tr, link.in[key]);
    cell(tr, link.clockOffsetMillis === null ? "?" : link.clockOffsetMillis);
    const onPath = (link.paths || []).some((path) => path.state === "ACTIVE");
    cell(tr, trafficPath(link.paths || [])).className = "traffic " + (onPath ? "ACTIVE" : "FAILED");
    return tr;
  });
  $("links").replaceChildren(...rows);
}

// Which path carries the peer's traffic now (the ACTIVE one), for the link table.
function trafficPath(paths) {
  const i = paths.findIndex((path) => path.state === "ACTIVE");
  if (i < 0) return paths.length ? "none: no path answers, each copy tries the next" : "?";
  return (paths.length > 1 ? "path " + (i + 1) + " of " + paths.length + ", " : "") + paths[i].address + ": active";
}

// Every path of every peer, in preference order (path 1 is the peer's first address).
function drawPaths(links) {
  const rows = [];
  for (const [peer, link] of Object.entries(links)) {
    (link.paths || []).forEach((path, i) => {
      const tr = document.createElement("tr");
      tr.id = "path-" + peer + "-" + (i + 1);
      cell(tr, peer);
      cell(tr, i + 1);
      cell(tr, path.address);
      cell(tr, path.state.toLowerCase()).className = "path " + path.state;
      cell(tr, path.roundTripMillis === null ? "?" : path.roundTripMillis.toFixed(1));
      cell(tr, path.datagrams);
      cell(tr, path.failures);
      cell(tr, path.state === "ACTIVE" ? "\u2190 carries the traffic"
          : path.state === "STANDBY" ? "ready, probed" : "probed until it answers");
      rows.push(tr);
    });
  }
  $("paths").replaceChildren(...rows);
}

function drawFailures(body) {
  $("failures-total").textContent = body.total;
  const shown = body.recent.slice(-SHOWN_FAILURES).reverse();
  $("failures-shown").textContent = shown.length;
  $("failures").replaceChildren(...shown.map((f) => {
    const tr = document.createElement("tr");
    for (const value of [new Date(f.time).toLocaleTimeString(), f.peer, f.msgId, f.userBuffer, f.attempts, f.reason]) {
      cell(tr, value);
    }
    return tr;
  }));
}

async function refreshPeerFaults() {
  try {
    const { body } = await getJson("api/peer-faults");
    const entries = Object.entries(body);
    $("peer-faults-none").hidden = entries.length > 0;
    $("peer-faults").replaceChildren(...entries.map(([peer, state]) => {
      const li = document.createElement("li");
      const text = state.error ? "page " + state.page + " does not answer (" + state.error + ")"
        : state.faults ? describeFault(state.faults) : "no fault switch (demo controls off)";
      li.append("peer " + peer + ": ");
      const span = document.createElement("span");
      span.id = "peer-fault-" + peer;
      span.textContent = text;
      li.append(span);
      return li;
    }));
  } catch (e) {
    // shown by the health figure
  }
}

async function refreshHealth() {
  try {
    const { body } = await getJson("actuator/health"); // 503 with a body when OUT_OF_SERVICE
    const component = body.components && body.components.reliableMessenger;
    const status = component ? component.status : body.status;
    $("health").textContent = status;
    $("health").className = "status " + status;
  } catch (e) {
    $("health").textContent = "unreachable";
    $("health").className = "status unreachable";
  }
}

async function refreshHistory() {
  try {
    const since = samples.length ? samples[samples.length - 1].timeMillis : 0;
    const { body } = await getJson("api/history?since=" + since);
    capacity = body.capacity;
    samples = samples.concat(body.samples).slice(-capacity);
    drawHistory();
  } catch (e) {
    // shown by the health figure
  }
}

function drawHistory() {
  if (samples.length === 0) return;
  const end = samples[samples.length - 1].timeMillis;
  const start = end - WINDOW_MS;
  const first = new Date(samples[0].timeMillis).toLocaleTimeString();
  $("history-summary").textContent = samples.length + " samples, one a second, since " + first;
  const peers = Object.keys(samples[samples.length - 1].peers);
  const pendingSeries = peers.map((peer, i) => ({
    color: PEER_COLORS[i % PEER_COLORS.length],
    values: samples.map((s) => [s.timeMillis, s.peers[peer] ? s.peers[peer].pending : null]),
  }));
  $("pending-peak").textContent = Math.max(0, ...samples.map((s) => s.pending));
  $("pending-legend").replaceChildren(...peers.map((peer, i) => {
    const span = document.createElement("span");
    span.style.setProperty("--color", PEER_COLORS[i % PEER_COLORS.length]);
    span.textContent = "to " + peer + " (messages)";
    return span;
  }));
  drawChart($("pending-chart"), pendingSeries, "messages", start, end, 10);
  const rateSeries = RATES.map(([key, color]) => ({ color, values: samples.map((s) => [s.timeMillis, s[key]]) }));
  drawChart($("rates-chart"), rateSeries, "per second", start, end, 5);
}

// A round number >= value, from 1, 2, 5 times a power of ten.
function niceCeiling(value) {
  const power = Math.pow(10, Math.floor(Math.log10(value)));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function drawChart(canvas, series, unit, start, end, minimum) {
  const g = canvas.getContext("2d");
  const w = canvas.width, h = canvas.height, left = 70, right = 10, top = 10, bottom = 34;
  g.clearRect(0, 0, w, h);
  const highest = Math.max(minimum, ...series.flatMap((s) => s.values.map(([, v]) => v || 0)));
  const max = niceCeiling(highest);
  const x = (t) => left + (w - left - right) * (t - start) / (end - start);
  const y = (v) => top + (h - top - bottom) * (1 - v / max);
  g.font = "11px sans-serif";
  g.fillStyle = "#666";
  g.strokeStyle = "#ddd";
  g.lineWidth = 1;
  for (const fraction of [0, 0.25, 0.5, 0.75, 1]) {
    const v = max * fraction;
    g.beginPath(); g.moveTo(left, y(v)); g.lineTo(w - right, y(v)); g.stroke();
    const label = Number.isInteger(v) ? String(v) : v.toFixed(1);
    g.fillText(label, left - 8 - g.measureText(label).width, y(v) + 4);
  }
  // Time axis: a tick every 2 minutes of local time, across the 10-minute window.
  const tick = 2 * 60 * 1000;
  for (let t = Math.ceil(start / tick) * tick; t <= end; t += tick) {
    g.beginPath(); g.moveTo(x(t), top); g.lineTo(x(t), h - bottom); g.stroke();
    const label = new Date(t).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    g.fillText(label, x(t) - g.measureText(label).width / 2, h - bottom + 14);
  }
  g.fillText("local time (10 minutes)", w - right - 130, h - 4);
  g.save();
  g.translate(14, top + (h - top - bottom) / 2);
  g.rotate(-Math.PI / 2);
  g.fillText(unit, -g.measureText(unit).width / 2, 0);
  g.restore();
  for (const s of series) {
    g.strokeStyle = s.color;
    g.lineWidth = 2;
    g.beginPath();
    let drawing = false;
    for (const [t, v] of s.values) {
      if (v === null || t < start) { drawing = false; continue; }
      if (drawing) g.lineTo(x(t), y(v)); else g.moveTo(x(t), y(v));
      drawing = true;
    }
    g.stroke();
  }
}

async function postFaults(body) {
  const response = await fetch("api/faults", {
    method: body ? "POST" : "DELETE",
    headers: { "Content-Type": "application/json" },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) alert("fault switch: " + (await response.text()));
  refreshNode();
}

$("start-outage").onclick = () => postFaults({ outageSeconds: Number($("outage-seconds").value) });
$("start-loss").onclick = () => postFaults({ loss: Number($("loss-percent").value) / 100 });
$("stop-flap").onclick = () => postFaults(null);
for (const network of [1, 2]) {
  $("network-" + network + "-down").onclick = () =>
    postFaults({ network, outageSeconds: Number($("outage-seconds").value) });
}

refreshNode();
refreshHealth();
refreshHistory();
refreshPeerFaults();
setInterval(refreshNode, 1000);
setInterval(refreshHistory, 1000);
setInterval(refreshHealth, 2000);
setInterval(refreshPeerFaults, 2000);
