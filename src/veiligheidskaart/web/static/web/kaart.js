// The choropleth: data comes from the json_script element, never from template numbers.
(function () {
  "use strict";
  var element = document.getElementById("kaart");
  var data = JSON.parse(document.getElementById("kaart-data").textContent);
  var status = document.getElementById("kaart-status");
  var number = new Intl.NumberFormat("nl-NL", { maximumFractionDigits: 1 });
  var map = L.map(element, { zoomSnap: 0.25, attributionControl: true });
  if (element.dataset.basemap) {
    L.tileLayer(element.dataset.basemap, { maxZoom: 19, attribution: "Kaart: PDOK" }).addTo(map);
  }

  function style(feature) {
    var klasse = feature.properties.klasse;
    return {
      color: "#444", weight: 1, fillOpacity: 0.85,
      fillColor: klasse < 0 ? "url(#vk-hatch)" : data.palette[klasse % data.palette.length]
    };
  }

  function label(p) {
    var rate = p.tarief === null ? "geen zinvol tarief" : number.format(p.tarief) + " " + data.eenheid;
    var inwoners = p.inwoners === null ? "onbekend" : number.format(p.inwoners);
    return "<strong>" + escapeHtml(p.naam) + "</strong> (" + escapeHtml(p.code) + ")<br>" +
      rate + "<br>inwoners: " + inwoners;
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  var drawn = 0;
  var layer = L.geoJSON(data, {
    style: style,
    onEachFeature: function (feature, featureLayer) {
      drawn += 1;
      featureLayer.bindTooltip(label(feature.properties), { sticky: true });
    }
  }).addTo(map);
  addHatchPattern(map, layer);
  map.fitBounds(layer.getBounds(), { padding: [8, 8] });
  element.dataset.featureCount = String(drawn);
  status.textContent = drawn + " buurten getoond";

  function addHatchPattern(leafletMap, geoLayer) {
    var svg = leafletMap.getPanes().overlayPane.querySelector("svg");
    if (!svg) { return; }
    var ns = "http://www.w3.org/2000/svg";
    var defs = document.createElementNS(ns, "defs");
    var pattern = document.createElementNS(ns, "pattern");
    pattern.setAttribute("id", "vk-hatch");
    pattern.setAttribute("patternUnits", "userSpaceOnUse");
    pattern.setAttribute("width", "8");
    pattern.setAttribute("height", "8");
    pattern.setAttribute("patternTransform", "rotate(45)");
    var background = document.createElementNS(ns, "rect");
    background.setAttribute("width", "8");
    background.setAttribute("height", "8");
    background.setAttribute("fill", "#ffffff");
    var line = document.createElementNS(ns, "line");
    line.setAttribute("x1", "0"); line.setAttribute("y1", "0");
    line.setAttribute("x2", "0"); line.setAttribute("y2", "8");
    line.setAttribute("stroke", "#777"); line.setAttribute("stroke-width", "3");
    pattern.appendChild(background);
    pattern.appendChild(line);
    defs.appendChild(pattern);
    svg.insertBefore(defs, svg.firstChild);
    geoLayer.setStyle(style);
  }
})();
