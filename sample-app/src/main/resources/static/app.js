// Live view of one node: polls its JSON API once a second; no build step, no library.
"use strict";

const HISTORY_SECONDS = 300;
const samples = []; // {pending, retransmits, deliveries} per second, oldest first
let last = null;    // previous /api/stats, for per-second rates

const $ = (id) => document.getElementById(id);

async function getJson(path) {
  const response = await fetch(path, { cache: "no-store" });
  return { status: response.status, body: await response.json() };
}

async function refreshStats() {
  try {
    const { body: s } = await getJson("api/stats");
    $("node").textContent = s.node + " (client id " + s.clientId + ")";
    for (const key of ["pending", "sent", "acked", "retransmitted", "failed", "delivered"]) {
      $(key).textContent = s[key];
    }
    if (last !== null) {
      samples.push({
        pending: s.pending,
        retransmits: Math.max(0, s.retransmitted - last.retransmitted),
        deliveries: Math.max(0, s.delivered - last.delivered),
      });
      if (samples.length > HISTORY_SECONDS) samples.shift();
    }
    last = s;
    $("flap-controls").hidden = !s.demoControls;
    $("flap-disabled").hidden = s.demoControls;
    if (s.faults) {
      const f = s.faults;
      $("fault-state").textContent = f.outageRemainingMillis > 0
        ? "outage: " + Math.ceil(f.outageRemainingMillis / 1000) + " s left"
        : f.loss > 0 ? "dropping " + Math.round(f.loss * 100) + "% of datagrams" : "link clean";
    }
    drawChart();
  } catch (e) {
    $("health").textContent = "unreachable";
    $("health").className = "status unreachable";
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

async function refreshFailures() {
  try {
    const { body } = await getJson("api/failures");
    $("failures-total").textContent = body.total;
    const rows = body.recent.slice(-20).reverse().map((f) => {
      const tr = document.createElement("tr");
      for (const value of [new Date(f.time).toLocaleTimeString(), f.peer, f.msgId, f.userBuffer, f.attempts, f.reason]) {
        const td = document.createElement("td");
        td.textContent = value;
        tr.appendChild(td);
      }
      return tr;
    });
    $("failures").replaceChildren(...rows);
  } catch (e) {
    // shown by the health figure
  }
}

function drawChart() {
  const canvas = $("chart");
  const g = canvas.getContext("2d");
  const w = canvas.width, h = canvas.height, left = 50, bottom = 20, top = 10;
  g.clearRect(0, 0, w, h);
  const max = Math.max(10, ...samples.map((p) => Math.max(p.pending, p.retransmits, p.deliveries)));
  g.strokeStyle = "#ccc";
  g.fillStyle = "#666";
  g.font = "11px sans-serif";
  for (const fraction of [0, 0.5, 1]) {
    const y = top + (h - top - bottom) * (1 - fraction);
    g.beginPath(); g.moveTo(left, y); g.lineTo(w, y); g.stroke();
    g.fillText(String(Math.round(max * fraction)), 5, y + 4);
  }
  // The time axis spans the history so far (at least a minute), up to HISTORY_SECONDS.
  const span = Math.max(60, samples.length);
  g.fillText("-" + span + " s", left, h - 5);
  g.fillText("now", w - 25, h - 5);
  const x = (i) => left + (w - left) * (span - samples.length + i) / (span - 1);
  const y = (v) => top + (h - top - bottom) * (1 - v / max);
  for (const [key, color] of [["deliveries", "#337ab7"], ["retransmits", "#f0ad4e"], ["pending", "#d9534f"]]) {
    g.strokeStyle = color;
    g.lineWidth = 2;
    g.beginPath();
    samples.forEach((p, i) => (i === 0 ? g.moveTo(x(i), y(p[key])) : g.lineTo(x(i), y(p[key]))));
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
  refreshStats();
}

$("start-outage").onclick = () => postFaults({ outageSeconds: Number($("outage-seconds").value) });
$("start-loss").onclick = () => postFaults({ loss: Number($("loss-percent").value) / 100 });
$("stop-flap").onclick = () => postFaults(null);

refreshStats();
refreshHealth();
refreshFailures();
setInterval(refreshStats, 1000);
setInterval(refreshHealth, 2000);
setInterval(refreshFailures, 2000);
