// The choropleth: data comes from the json_script element, never from template numbers.
(function () {
  "use strict";
  var element = document.getElementById("kaart");
  var data = JSON.parse(document.getElementById("kaart-data").textContent);
  var status = document.getElementById("kaart-status");
  var number = new Intl.NumberFormat("nl-NL", { maximumFractionDigits: 1 });
  var map = L.map(element, { zoomSnap: 0.25, keyboard: true });
  if (element.dataset.basemap) {
    L.tileLayer(element.dataset.basemap, { maxZoom: 19, attribution: "Kaart: PDOK" }).addTo(map);
  }

  var internal = data.internal || {};
  // with the density on, the choropleth steps back so the density can be read
  var fillOpacity = internal.density_url ? 0.25 : 0.85;

  function style(feature) {
    var p = feature.properties;
    var hot = p.hotspot === "hotspot";
    return {
      color: hot ? "#111" : "#444", weight: hot ? 3 : 1, fillOpacity: fillOpacity,
      fillColor: p["class"] < 0 ? "url(#vk-hatch)" : data.palette[p["class"] % data.palette.length]
    };
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function label(p) {
    var value = p.value === null ? p.status : number.format(p.value) + " " + data.indicator.unit;
    var lines = ["<strong>" + escapeHtml(p.name) + "</strong> (" + escapeHtml(p.code) + ")", value];
    if (p.count !== null) { lines.push("aantal: " + number.format(p.count)); }
    if (p.change === "rise") { lines.push("significant gestegen t.o.v. vorig jaar"); }
    if (p.change === "fall") { lines.push("significant gedaald t.o.v. vorig jaar"); }
    if (p.hotspot === "hotspot") { lines.push("onderdeel van een hotspot"); }
    return lines.join("<br>");
  }

  var drawn = 0;
  var layer = L.geoJSON(data, {
    style: style,
    onEachFeature: function (feature, featureLayer) {
      drawn += 1;
      featureLayer.bindTooltip(label(feature.properties), { sticky: true });
      featureLayer.on("click", function () {
        window.location.href = "/gebied/" + encodeURIComponent(feature.properties.code);
      });
      var change = feature.properties.change;
      if (change === "rise" || change === "fall") {
        var icon = L.divIcon({ className: "verandering " + change, html: change === "rise" ? "▲" : "▼" });
        L.marker(featureLayer.getBounds().getCenter(), { icon: icon, keyboard: false, interactive: false }).addTo(map);
      }
    }
  }).addTo(map);
  map.fitBounds(layer.getBounds(), { padding: [8, 8] });
  element.dataset.featureCount = String(drawn);
  status.textContent = drawn + " " + data.level_label + " getoond";

  // Internal layers: only present in the page for users who may see them.
  if (internal.focus) {
    var focusPane = map.createPane("focus");
    focusPane.style.zIndex = 460;
    L.geoJSON(internal.focus, {
      pane: "focus",
      style: { color: "#006d77", weight: 4, dashArray: "10 6", fill: false },
      onEachFeature: function (feature, featureLayer) {
        featureLayer.bindTooltip("Focusgebied: " + escapeHtml(feature.properties.name), { sticky: true });
      }
    }).addTo(map);
    element.dataset.focusCount = String(internal.focus.features.length);
  }
  if (internal.density_url) {
    fetch(internal.density_url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("dichtheid: " + response.status); }
        return response.json();
      })
      .then(function (density) {
        var pane = map.createPane("dichtheid");
        pane.style.zIndex = 450;
        pane.style.pointerEvents = "none";
        L.geoJSON(density, {
          pane: "dichtheid", interactive: false,
          style: function (feature) {
            var k = feature.properties["class"];
            return { stroke: false, fillColor: feature.properties.color,
                     fillOpacity: k === 0 ? 0.15 : 0.45 + 0.1 * k };
          }
        }).addTo(map);
        densityLegend(density);
        element.dataset.densityBands = String(density.features.length);
        status.textContent += "; dichtheid van " + number.format(density.points) + " meldingen";
      })
      .catch(function () {
        element.dataset.densityBands = "fout";
        status.textContent += "; dichtheid van meldingen niet beschikbaar";
      });
  }

  function densityLegend(density) {
    var box = document.getElementById("legenda-dichtheid");
    if (!box) { return; }
    var list = document.getElementById("legenda-dichtheid-klassen");
    var bounds = density.classes.upper_bounds;
    density.features.forEach(function (feature) {
      var k = feature.properties["class"];
      var from = k === 0 ? density.classes.lower : bounds[k - 1];
      var item = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = feature.properties.color;
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(number.format(from) + " – " + number.format(bounds[k])));
      list.appendChild(item);
    });
    document.getElementById("legenda-dichtheid-bron").textContent =
      density.unit + ", " + density.period + "; " + number.format(density.points) + " meldingen, kwartische kern met " +
      number.format(density.bandwidth_m) + " m bandbreedte op een raster van " + number.format(density.cell_m) + " m" +
      (density.clipped ? "; alleen " + density.scope : "") + ".";
    box.hidden = false;
  }
})();
