// The map of requests and hot spots (templates/requests_app/map.html), drawn with the vendored
// Leaflet. Everything comes from data- attributes on #map: the API address with the page's
// filters, the tile URL template (when the deployment configures one) and the translated words.
// No inline script, no <style>: Leaflet positions its layers through element.style (CSSOM),
// which the Content-Security-Policy allows.
(function () {
  "use strict";

  var el = document.getElementById("map");
  if (!el || !window.L) return;
  var L = window.L;
  var data = el.dataset;

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, key) {
      return key in values ? String(values[key]) : "";
    });
  }

  function text(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  var map = L.map(el, {
    center: [parseFloat(data.lat), parseFloat(data.lng)],
    zoom: parseInt(data.zoom, 10) || 12,
    attributionControl: Boolean(data.tiles),
    zoomControl: true,
  });
  if (data.tiles) {
    map.attributionControl.setPrefix(false);
    L.tileLayer(data.tiles, {
      subdomains: data.subdomains || "abc",
      attribution: data.attribution || "",
      maxZoom: 18,
    }).addTo(map);
  }
  L.control.scale({ imperial: false }).addTo(map);

  // A request: a shape per status (the legend names them), inside a 44px tap area.
  function pinIcon(status) {
    return L.divIcon({
      className: "map-pin map-pin--" + status,
      html: '<span class="map-pin__shape"></span>',
      iconSize: [44, 44],
      iconAnchor: [22, 22],
      popupAnchor: [0, -12],
    });
  }

  function when(iso) {
    // "2026-05-01T09:30:00+08:00" → "2026-05-01 09:30", the local time the server gave.
    return iso.slice(0, 10) + " " + iso.slice(11, 16);
  }

  function requestPopup(p) {
    var box = text("div", "map-popup");
    box.appendChild(text("strong", "map-popup__category", p.category));
    box.appendChild(text("span", "map-popup__status map-popup__status--" + p.status, p.status_label));
    box.appendChild(text("span", "map-popup__time", when(p.collected_at)));
    var located = p.located === "gps" ? data.labelLocatedGps : data.labelLocatedPlace;
    box.appendChild(text("span", "map-popup__place", p.place + (located ? " · " + located : "")));
    var links = text("span", "map-popup__links");
    var open = text("a", "button", data.labelOpenRequest);
    open.href = p.url;
    links.appendChild(open);
    if (p.case_url) {
      var kase = text("a", "button", data.labelOpenCase);
      kase.href = p.case_url;
      links.appendChild(kase);
    }
    box.appendChild(links);
    return box;
  }

  function hotspotPopup(p) {
    var box = text("div", "map-popup");
    box.appendChild(text("strong", null, p.place));
    box.appendChild(text("span", null, p.requests + " " + data.labelRequests));
    return box;
  }

  function hotspotIcon(p, largest) {
    // The area grows with the count: diameter from 44px (one request) to 96px (the most).
    var size = Math.round(44 + 52 * Math.sqrt(p.requests / Math.max(largest, 1)));
    var step = Math.min(6, Math.round((size - 44) / 10));
    return L.divIcon({
      className: "map-hotspot map-hotspot--" + step,
      html: '<span class="map-hotspot__count">' + p.requests + "</span>",
      iconSize: [size, size],
      iconAnchor: [size / 2, size / 2],
    });
  }

  var summary = document.getElementById("map-summary");

  function say(message) {
    if (summary) summary.textContent = message;
  }

  fetch(data.points, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    })
    .then(function (collection) {
      var hotspots = [];
      var points = [];
      collection.features.forEach(function (f) {
        (f.properties.kind === "hotspot" ? hotspots : points).push(f);
      });
      var largest = hotspots.reduce(function (m, f) {
        return Math.max(m, f.properties.requests);
      }, 1);
      var spots = L.layerGroup().addTo(map);
      hotspots.forEach(function (f, index) {
        var c = f.geometry.coordinates;
        var marker = L.marker([c[1], c[0]], {
          icon: hotspotIcon(f.properties, largest),
          title: f.properties.place + " · " + f.properties.requests,
          alt: f.properties.place,
          zIndexOffset: -1000,
          keyboard: false,
        });
        marker.bindPopup(hotspotPopup(f.properties));
        // Without a base map, the busiest places are named on the map itself.
        if (!data.tiles && index < 20) {
          marker.bindTooltip(text("span", null, f.properties.place), {
            permanent: true,
            direction: "right",
            offset: [22, 0],
            className: "map-label",
          });
        }
        spots.addLayer(marker);
      });
      var pins = L.layerGroup().addTo(map);
      points.forEach(function (f) {
        var c = f.geometry.coordinates;
        var p = f.properties;
        var marker = L.marker([c[1], c[0]], {
          icon: pinIcon(p.status),
          title: p.category + " · " + p.status_label,
          alt: p.category + " · " + p.status_label,
          riseOnHover: true,
        });
        marker.bindPopup(requestPopup(p), { maxWidth: 280 });
        pins.addLayer(marker);
      });
      var message = fill(data.labelShown, { shown: collection.shown, total: collection.total });
      if (collection.capped) message += " " + data.labelCapped;
      if (collection.unplaced) message += " " + fill(data.labelUnplaced, { n: collection.unplaced });
      say(message);
      el.setAttribute("data-loaded", String(points.length));
      if (collection.bbox) {
        var b = collection.bbox;
        if (b[0] === b[2] && b[1] === b[3]) {
          map.setView([b[1], b[0]], 16);
        } else {
          // Room on the right for the place names written beside the hot spots.
          map.fitBounds([[b[1], b[0]], [b[3], b[2]]], {
            paddingTopLeft: [32, 32],
            paddingBottomRight: [data.tiles ? 32 : 110, 32],
            maxZoom: 17,
          });
        }
      }
    })
    .catch(function () {
      say(data.labelFailed);
      el.setAttribute("data-loaded", "failed");
    });
})();
