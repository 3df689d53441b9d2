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
