// The zones map's online tile layer (docs/zones.md "The zones map"): a progressive enhancement of the
// server-drawn SVG. Only when the server names a tile server (SILKBRIDGE_MAP_TILES_URL, read here from
// the figure's data-tiles-* attributes) and Leaflet is installed. One tile is fetched first; only when
// it loads is the SVG swapped for a slippy map with the same points, so offline the SVG stays.
// The zone list or table on the page stays the keyboard and screen-reader path.
"use strict";

(() => {
  const figure = document.querySelector("figure.zone-map[data-tiles-url]");
  if (!figure || typeof window.L === "undefined") {
    return;
  }
  const L = window.L;
  const template = figure.dataset.tilesUrl;
  let points;
  try {
    points = JSON.parse(figure.dataset.tilesPoints || "[]");
  } catch {
    return;
  }
  // Pakistan's extent (degrees), the view when there is no point.
  const pakistan = L.latLngBounds([23.6, 60.8], [37.1, 77.9]);

  // The probe: the zoom-5 tile over central Pakistan (x 22, y 13), the first tile the map would ask for.
  const probe = new Image();
  probe.addEventListener("load", swap, { once: true });
  probe.src = template.replace("{z}", "5").replace("{x}", "22").replace("{y}", "13").replace("{r}", "");

  function text(value) {
    // Leaflet writes the attribution as HTML; ours is plain text.
    const span = document.createElement("span");
    span.textContent = value;
    return span.innerHTML;
  }

  function swap() {
    const drawing = figure.querySelector(".zone-map-drawing");
    const container = document.createElement("div");
    container.className = "zone-map-tiles";
    container.setAttribute("role", "region");
    container.setAttribute("aria-label", figure.dataset.tilesLabel || "");
    container.dir = "ltr"; // a map is not mirrored on Urdu pages
    figure.insertBefore(container, drawing);
    if (drawing) {
      drawing.classList.add("zone-map-replaced");
    }
    const map = L.map(container, { scrollWheelZoom: false, attributionControl: true });
    map.attributionControl.setPrefix("Leaflet");
    L.tileLayer(template, {
      attribution: text(figure.dataset.tilesAttribution || ""),
      maxZoom: 18,
    }).addTo(map);
    const approximate = figure.dataset.tilesApproximate || "";
    const bounds = [];
    for (const point of points) {
      const at = [point.latitude, point.longitude];
      bounds.push(at);
      const marker = L.circleMarker(at, {
        radius: 7,
        className: point.approximate ? "zone-map-marker zone-map-marker-approximate" : "zone-map-marker",
      }).addTo(map);
      marker.bindTooltip(
        text(`${point.name}, ${point.city}${point.approximate ? ` (${approximate})` : ""}`),
      );
      marker.on("click", () => {
        window.location.assign(point.url);
      });
    }
    if (bounds.length === 1) {
      map.setView(bounds[0], 9);
    } else if (bounds.length > 1) {
      map.fitBounds(L.latLngBounds(bounds).pad(0.15));
    } else {
      map.fitBounds(pakistan);
    }
    figure.classList.add("zone-map-online");
  }
})();
