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
  map.fitBounds(layer.getBounds(), { padding: [8, 8] });
  element.dataset.featureCount = String(drawn);
  status.textContent = drawn + " buurten getoond";
})();
