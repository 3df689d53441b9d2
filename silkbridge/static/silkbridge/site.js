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

// <div class="checklist">: a long list of checkboxes (sectors, countries) gets a filter box above it, so a
// finger finds "Pakistan" without scrolling through two hundred rows. Rows only hide: every box, ticked or
// not, is still submitted as before.
function filterableChecklists() {
  const text = document.body.dataset.textFilter || "Filter";
  document.querySelectorAll("div.checklist").forEach((list, number) => {
    const rows = [...list.querySelectorAll(":scope > div")];
    if (rows.length < 10 || list.previousElementSibling?.classList.contains("checklist-filter")) {
      return;
    }
    const field = list.closest(".field");
    const label = field ? field.querySelector("label:not([for]), legend") : null;
    const filter = document.createElement("input");
    filter.type = "search";
    filter.className = "checklist-filter";
    filter.id = `checklist-filter-${number}`;
    filter.setAttribute("aria-controls", list.id);
    filter.setAttribute("aria-label", label ? `${text}: ${label.textContent.replace(/:\s*$/, "").trim()}` : text);
    filter.placeholder = text;
    filter.addEventListener("input", () => {
      const wanted = filter.value.trim().toLocaleLowerCase();
      for (const row of rows) {
        row.hidden = wanted !== "" && !row.textContent.toLocaleLowerCase().includes(wanted);
      }
    });
    // Enter in the filter box must not send the form.
    filter.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
    list.parentNode.insertBefore(filter, list);
  });
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", filterableChecklists);
} else {
  filterableChecklists();
}

// <input data-suggest-url>: a comma-separated list of technologies becomes a type-ahead over the glossary
// (the ARIA 1.2 combobox with a listbox popup): the chosen terms show as chips, each with a remove button,
// and the original input, now hidden, still carries "term, term" to the server, which parses it as
// before. Without this script the input stays a plain text field.
const TERM_SEPARATORS = /[,，、]/;

function termsCombobox(original, number) {
  const terms = original.value.split(TERM_SEPARATORS).map((term) => term.trim()).filter(Boolean);
  const texts = original.dataset;
  const listboxId = `${original.id}-listbox`;
  const box = document.createElement("div");
  box.className = "combobox";
  const chips = document.createElement("ul");
  chips.className = "chips";
  const input = document.createElement("input");
  input.type = "text";
  input.id = `${original.id}-combobox`;
  input.className = "combobox-input";
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listboxId);
  input.setAttribute("autocomplete", "off");
  input.dir = "auto";
  for (const name of ["aria-describedby", "aria-invalid"]) {
    if (original.hasAttribute(name)) input.setAttribute(name, original.getAttribute(name));
  }
  const listbox = document.createElement("ul");
  listbox.id = listboxId;
  listbox.className = "combobox-listbox";
  listbox.setAttribute("role", "listbox");
  listbox.hidden = true;
  const label = document.querySelector(`label[for="${original.id}"]`);
  if (label) {
    label.htmlFor = input.id;
    label.id = label.id || `${original.id}-label`;
    listbox.setAttribute("aria-labelledby", label.id);
  }
  original.type = "hidden";
  original.parentNode.insertBefore(box, original);
  box.append(chips, input, listbox);

  let options = [];
  let active = -1;
  let pending = null;

  const sync = () => {
    original.value = terms.join(", ");
  };
  const renderChips = () => {
    chips.replaceChildren(
      ...terms.map((term, index) => {
        const chip = document.createElement("li");
        chip.className = "chip";
        const name = document.createElement("bdi");
        name.textContent = term;
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "chip-remove";
        remove.setAttribute("aria-label", `${texts.textRemove}: ${term}`);
        remove.textContent = "×";
        remove.addEventListener("click", () => {
          terms.splice(index, 1);
          sync();
          renderChips();
          input.focus();
        });
        chip.append(name, " ", remove);
        return chip;
      }),
    );
  };
  const close = () => {
    listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const highlight = (index) => {
    active = index;
    options.forEach((option, position) => option.setAttribute("aria-selected", position === index ? "true" : "false"));
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  };
  const choose = (term) => {
    const clean = term.trim();
    if (clean && !terms.some((known) => known.toLocaleLowerCase() === clean.toLocaleLowerCase())) {
      terms.push(clean);
    }
    input.value = "";
    sync();
    renderChips();
    close();
    input.focus();
  };
  const option = (text, value, note, index) => {
    const item = document.createElement("li");
    item.id = `${listboxId}-${index}`;
    item.className = "combobox-option";
    item.setAttribute("role", "option");
    item.setAttribute("aria-selected", "false");
    item.dataset.value = value;
    const main = document.createElement("bdi");
    main.textContent = text;
    item.append(main);
    if (note) {
      const small = document.createElement("span");
      small.className = "combobox-note";
      small.textContent = ` · ${note}`;
      item.append(small);
    }
    // mousedown, not click: choosing must happen before the input's blur closes the list.
    item.addEventListener("mousedown", (event) => {
      event.preventDefault();
      choose(value);
    });
    return item;
  };
  const show = (answer) => {
    const rows = [];
    for (const concept of answer.concepts) {
      const note = concept.matched !== concept.label ? concept.matched : concept.sector;
      rows.push(option(concept.label, concept.label, note, rows.length));
    }
    if (answer.free_keyword && original.dataset.keepsKeywords !== "no") {
      rows.push(option(`“${answer.free_keyword}”`, answer.free_keyword, texts.textKeyword, rows.length));
    }
    for (const concept of answer.nearest) {
      rows.push(option(concept.label, concept.label, texts.textNearest, rows.length));
    }
    options = rows;
    listbox.replaceChildren(...rows);
    if (rows.length === 0) {
      close();
      return;
    }
    listbox.hidden = false;
    input.setAttribute("aria-expanded", "true");
    highlight(-1);
    revealListbox();
  };
  // On a phone the suggestions opened below the fold, under the on-screen keyboard: scroll the page up
  // until the list's end is in the visible part of the window (visualViewport shrinks with the keyboard),
  // never so far that the field itself leaves the top.
  const revealListbox = () => {
    const view = window.visualViewport;
    const top = view ? view.offsetTop : 0;
    const below = listbox.getBoundingClientRect().bottom - (top + (view ? view.height : window.innerHeight)) + 8;
    const room = input.getBoundingClientRect().top - top - 8;
    if (below > 0 && room > 0) {
      window.scrollBy(0, Math.min(below, room));
    }
  };
  const fetchSuggestions = async () => {
    const text = input.value.trim();
    if (!text) {
      close();
      return;
    }
    if (pending) pending.abort();
    pending = new AbortController();
    const url = new URL(original.dataset.suggestUrl, window.location.href);
    url.searchParams.set("q", text.slice(0, 100));
    url.searchParams.set("limit", "8");
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", signal: pending.signal });
      if (response.ok && input.value.trim() === text) {
        show(await response.json());
      }
    } catch (error) {
      // Aborted by newer typing, or the network: the person can still keep their word as typed.
    }
  };
  let timer = 0;
  input.addEventListener("input", () => {
    if (TERM_SEPARATORS.test(input.value)) {
      input.value.split(TERM_SEPARATORS).forEach(choose);
      return;
    }
    window.clearTimeout(timer);
    timer = window.setTimeout(fetchSuggestions, 150);
  });
  input.addEventListener("keydown", (event) => {
    const open = !listbox.hidden && options.length > 0;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (open) highlight(Math.min(active + 1, options.length - 1));
      else fetchSuggestions();
    } else if (event.key === "ArrowUp" && open) {
      event.preventDefault();
      highlight(Math.max(active - 1, 0));
    } else if (event.key === "Enter") {
      if (open && active >= 0) {
        event.preventDefault();
        choose(options[active].dataset.value);
      } else if (input.value.trim()) {
        event.preventDefault(); // a typed word is kept as a chip; Enter on an empty field sends the form
        choose(input.value);
      }
    } else if (event.key === "Escape") {
      if (open) {
        event.preventDefault();
        close();
      } else if (input.value) {
        input.value = "";
      }
    } else if (event.key === "Backspace" && input.value === "" && terms.length) {
      terms.pop();
      sync();
      renderChips();
    }
  });
  input.addEventListener("blur", () => window.setTimeout(close, 100));
  // A word typed but not yet chosen when the form is sent is kept, as the plain field would have kept it.
  original.form?.addEventListener("submit", () => {
    if (input.value.trim()) choose(input.value);
  });
  sync();
  renderChips();
  return number;
}
function startTermsComboboxes() {
  document.querySelectorAll("input[data-suggest-url]:not([type='hidden'])").forEach(termsCombobox);
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", startTermsComboboxes);
} else {
  startTermsComboboxes();
}
