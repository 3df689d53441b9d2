// The countdown to a call's deadline (deals/calls/call_detail.html), with no inline script: the
// Content-Security-Policy refuses inline scripts. The server renders the time left in the reader's
// language; this keeps it current each minute, with the browser's own unit names (Intl), and says
// "the deadline has passed" (the server's text in data-countdown-passed) once it has.
"use strict";

function startCountdowns() {
  const language = document.documentElement.lang || undefined;
  const unit = (name) => new Intl.NumberFormat(language, { style: "unit", unit: name, unitDisplay: "long" });
  const days = unit("day");
  const hours = unit("hour");
  const minutes = unit("minute");
  for (const element of document.querySelectorAll("[data-countdown]")) {
    const deadline = Number(element.dataset.countdown) * 1000;
    const text = element.querySelector("[data-countdown-text]");
    if (!text || !Number.isFinite(deadline)) continue;
    const tick = () => {
      const left = Math.floor((deadline - Date.now()) / 60000);
      if (left < 0) {
        element.textContent = element.dataset.countdownPassed;
        return;
      }
      const parts = [];
      const dayCount = Math.floor(left / 1440);
      const hourCount = Math.floor((left % 1440) / 60);
      if (dayCount) parts.push(days.format(dayCount));
      if (dayCount || hourCount) parts.push(hours.format(hourCount));
      parts.push(minutes.format(left % 60));
      text.textContent = parts.join(" ");
      window.setTimeout(tick, 60000 - (Date.now() % 60000));
    };
    tick();
  }
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", startCountdowns);
} else {
  startCountdowns();
}
