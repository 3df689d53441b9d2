// What the pages do in the browser, with no inline script or style attribute: the
// Content-Security-Policy (settings.CONTENT_SECURITY_POLICY) refuses both.
"use strict";

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
