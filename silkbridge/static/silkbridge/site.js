// What the pages do in the browser, with no inline script or style attribute: the
// Content-Security-Policy (settings.CONTENT_SECURITY_POLICY) refuses both.
"use strict";

document.documentElement.classList.add("js");

// The header's menu on a phone: a button folds and unfolds it (CSS hides it only when this script runs).
document.addEventListener("click", (event) => {
  const toggle = event.target instanceof Element && event.target.closest(".menu-toggle");
  if (!toggle) {
    return;
  }
  const header = toggle.closest(".site-header");
  const open = header.classList.toggle("menu-open");
  toggle.setAttribute("aria-expanded", open ? "true" : "false");
});

// A menu of the header (<details class="nav-group">) closes with Escape and when one clicks elsewhere.
document.addEventListener("click", (event) => {
  for (const group of document.querySelectorAll(".nav-group[open]")) {
    if (!(event.target instanceof Node && group.contains(event.target))) {
      group.open = false;
    }
  }
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") {
    return;
  }
  for (const group of document.querySelectorAll(".nav-group[open]")) {
    group.open = false;
    group.querySelector("summary").focus();
  }
});

// <select data-browser-zone>: a fresh sign-up form starts in the browser's own time zone (the form marks
// only a fresh select: one sent back with an error keeps what the person chose).
function browserZone() {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  for (const select of document.querySelectorAll("select[data-browser-zone]")) {
    if (zone && [...select.options].some((option) => option.value === zone)) {
      select.value = zone;
    }
  }
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", browserZone);
} else {
  browserZone();
}

// A table wider than the screen scrolls inside its own box, not the page. A box that scrolls is a
// named region that the keyboard can reach (tabindex), so it can be scrolled without a mouse.
function focusableIfScrolling(box, name) {
  if (box.scrollWidth > box.clientWidth + 1 && !box.hasAttribute("tabindex")) {
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
      box.setAttribute("aria-label", name);
    }
  }
}

function boxTables() {
  // Boards of columns (deals, relocation cases) scroll sideways inside their box the same way.
  const heading = document.querySelector("main h1");
  for (const board of document.querySelectorAll("main .deal-board")) {
    focusableIfScrolling(board, heading ? heading.textContent.trim() : document.title);
  }
  for (const table of document.querySelectorAll("main table")) {
    let box = table.closest(".table-scroll");
    if (!box) {
      box = document.createElement("div");
      box.className = "table-scroll";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    }
    const caption = table.caption ? table.caption.textContent.trim() : "";
    focusableIfScrolling(box, caption || document.title);
  }
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", boxTables);
} else {
  boxTables();
}

// <form data-confirm="Question?">: ask before a destructive action.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// <button data-action="print">: print the page (agendas).
document.addEventListener("click", (event) => {
  if (event.target instanceof Element && event.target.closest("[data-action='print']")) {
    window.print();
  }
});

// <input data-select-on-focus>: select a URL to copy (calendar feeds).
document.addEventListener("focusin", (event) => {
  if (event.target instanceof HTMLInputElement && event.target.hasAttribute("data-select-on-focus")) {
    event.target.select();
  }
});

// <span class="bar" data-share="0.42">: the width of a bar, through the --share custom property.
// Setting a property through the CSSOM is allowed where a style="" attribute is not.
function applyShares() {
  for (const bar of document.querySelectorAll("[data-share]")) {
    bar.style.setProperty("--share", bar.dataset.share);
  }
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", applyShares);
} else {
  applyShares();
}

// <section data-run-poll="/api/v1/runs/7" data-run-status="running">: a background run's page. Poll the
// run resource; move the progress bar and the message, and reload the page (rendered by the server in
// the reader's language, with the link to the result or the error) when the run changes state.
function pollRun(section) {
  const progress = section.querySelector("progress");
  const percent = section.querySelector("[data-run-percent]");
  const message = section.querySelector("[data-run-message]");
  const format = new Intl.NumberFormat(document.documentElement.lang || undefined, { style: "percent" });
  const tick = async () => {
    try {
      const response = await fetch(section.dataset.runPoll, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.ok) {
        const run = await response.json();
        if (run.status !== section.dataset.runStatus) {
          window.location.reload();
          return;
        }
        if (progress) progress.value = Math.round(run.progress * 100);
        if (percent) percent.textContent = format.format(run.progress);
        if (message) message.textContent = run.message;
      }
    } catch (error) {
      // A network hiccup: try again at the next tick.
    }
    window.setTimeout(tick, 1500);
  };
  window.setTimeout(tick, 1000);
}
function startRunPolls() {
  for (const section of document.querySelectorAll("[data-run-poll]")) {
    pollRun(section);
  }
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", startRunPolls);
} else {
  startRunPolls();
}
