// Progressive enhancement of the melding form: with JavaScript a click on the map fills the
// hidden lat/lon fields (the buurt select stays as the alternative); without it, only the select.
(function () {
  "use strict";
  var element = document.getElementById("melding-kaart");
  var dataElement = document.getElementById("buurten-data");
  if (!element || !dataElement || typeof L === "undefined") { return; }
  var data = JSON.parse(dataElement.textContent);
  if (!data.features.length) { return; }
  element.hidden = false;
  var lat = document.getElementById("id_lat");
  var lon = document.getElementById("id_lon");
  var select = document.getElementById("id_buurt_code");
  var status = document.getElementById("kaart-keuze");
  var map = L.map(element, { zoomSnap: 0.25, keyboard: true });
  var marker = null;
  var layer = L.geoJSON(data, {
    style: { color: "#00527a", weight: 1, fillOpacity: 0.08 },
    onEachFeature: function (feature, featureLayer) {
      featureLayer.on("click", function (event) { choose(event.latlng, feature.properties); });
    }
  }).addTo(map);
  map.fitBounds(layer.getBounds(), { padding: [8, 8] });

  function pin(latlng) {
    return L.circleMarker(latlng, { radius: 9, color: "#b30000", weight: 3, fillOpacity: 0.6,
                                    interactive: false }).addTo(map);
  }

  function choose(latlng, properties) {
    lat.value = latlng.lat.toFixed(6);
    lon.value = latlng.lng.toFixed(6);
    if (marker) { marker.setLatLng(latlng); } else { marker = pin(latlng); }
    if (select) { select.value = properties.code; }
    status.textContent = "Plek gekozen in buurt " + properties.name + ".";
  }

  if (lat.value && lon.value) {
    var start = L.latLng(parseFloat(lat.value), parseFloat(lon.value));
    marker = pin(start);
  }
  if (select) {
    // choosing a buurt by hand drops a point chosen earlier, so the two never disagree
    select.addEventListener("change", function () {
      lat.value = ""; lon.value = "";
      if (marker) { map.removeLayer(marker); marker = null; }
      status.textContent = "";
    });
  }
})();
