// netrawat console: the live progress of a run, and the repair fields of the run form.
// Plain JavaScript, no build step; the pages work without it except for live updates.
"use strict";

function text(tag, value, cls) {
  const el = document.createElement(tag);
  el.textContent = value == null ? "" : String(value);
  if (cls) el.className = cls;
  return el;
}

function hostsTable(run, headers) {
  const table = document.createElement("table");
  table.className = "run-hosts";
  const head = table.createTHead().insertRow();
  for (const h of headers) head.appendChild(text("th", h));
  const body = table.createTBody();
  for (const h of run.hosts || []) {
    const row = body.insertRow();
    row.dataset.host = h.host;
    const link = text("a", h.host);
    link.href = "/devices/" + encodeURIComponent(h.host);
    row.insertCell().appendChild(link);
    row.insertCell().textContent = h.opd || "-";
    row.insertCell().appendChild(text("span", h.outcome, "status status-" + h.outcome));
    const grade = h.grade || (run.playbook === "health" && h.outcome === "ok" ? "ok" : null);
    row.insertCell().appendChild(text("span", grade || "-", "grade grade-" + (grade || "none")));
    row.insertCell().textContent = h.commit ? h.commit.slice(0, 8) : "";
    const failed = (h.details && h.details.failed) || {};
    const parts = [h.error || ""].concat(Object.entries(failed).map(([k, v]) => k + ": " + v));
    row.insertCell().textContent = parts.filter(Boolean).join("; ");
  }
  return table;
}

function follow(box) {
  const url = box.dataset.progress;
  const tick = async () => {
    let data;
    try {
      const reply = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!reply.ok) return setTimeout(tick, 3000);
      data = await reply.json();
    } catch (e) {
      return setTimeout(tick, 3000);
    }
    const job = data.job;
    const status = document.getElementById("job-status");
    status.textContent = job.status;
    status.className = "status status-" + job.status;
    document.getElementById("job-exit").textContent = job.exit_code == null ? "" : "(exit " + job.exit_code + ")";
    const link = document.getElementById("job-run");
    if (job.run_id) { link.href = "/runs/" + encodeURIComponent(job.run_id); link.hidden = false; }
    const message = document.getElementById("job-message");
    message.textContent = job.message || "";
    message.hidden = !job.message;
    const hosts = document.getElementById("job-hosts");
    if (data.run) hosts.replaceChildren(hostsTable(data.run, hosts.dataset.headers.split("|")));
    document.getElementById("job-log").textContent = data.log;
    if (["done", "failed", "interrupted"].includes(job.status)) {
      box.dataset.final = "yes";
      if (document.getElementById("apply-repair") === null && job.playbook === "repair") {
        window.location.reload();  // the apply step appears once the dry run is done
      }
      return;
    }
    setTimeout(tick, 1000);
  };
  tick();
}

function repairFields() {
  const select = document.getElementById("run-playbook");
  if (!select) return;
  const update = () => {
    for (const el of document.querySelectorAll(".repair-only")) el.hidden = select.value !== "repair";
  };
  select.addEventListener("change", update);
  update();
}

document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("job");
  if (box && box.dataset.final === "no") follow(box);
  repairFields();
});
