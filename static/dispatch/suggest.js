/* Minqing dispatch suggestions (智能派单) as a description is typed.
 *
 * Any page may use it: a container with data attributes says where to ask and which fields to
 * read and set (the CSP forbids inline scripts, so the markup carries the settings):
 *
 *   <section data-suggest-url="/api/v1/dispatch/suggest/"   where to POST {description, unit}
 *            data-description="#id_description"            the text being typed
 *            data-place="#id_unit"                          optional: the place (an id)
 *            data-category="#id_category"                   the category field to set
 *            data-category-option=".category-chip[data-id='{id}']"
 *                 optional: an element to click instead of setting the field (the intake
 *                 page's own chips, so its script does what a tap on them does)
 *            data-text-units="类似问题多由 %(units)s 办理"  data-text-keywords="…"
 *            data-text-choose="选择分类：%(name)s"          data-text-separator="、"
 *            hidden>
 *     <p data-suggest-note></p> <div data-suggest-categories></div> <p data-suggest-units></p>
 *   </section>
 *
 * 400 ms after the last key (and at least 4 characters) it asks once; the best categories are
 * shown as large chips with their confidence ("电梯故障 82%"), a tap chooses one, and the units
 * that handled similar cases are named. The worker may ignore all of it. Offline, or when the
 * call fails, the box simply stays hidden: nothing else on the page depends on it.
 */
(function () {
  "use strict";

  var DELAY = 400;
  var MIN_LENGTH = 4;

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var field = document.querySelector("[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function fill(template, values) {
    return String(template || "").replace(/%\((\w+)\)s/g, function (_m, key) {
      return values[key] === undefined ? "" : values[key];
    });
  }

  function init(box) {
    if (box.dataset.suggestReady) return;
    box.dataset.suggestReady = "1";
    var d = box.dataset;
    var description = document.querySelector(d.description || "");
    var place = d.place ? document.querySelector(d.place) : null;
    var category = d.category ? document.querySelector(d.category) : null;
    var chips = box.querySelector("[data-suggest-categories]");
    var units = box.querySelector("[data-suggest-units]");
    var note = box.querySelector("[data-suggest-note]");
    if (!description || !d.suggestUrl || !chips) return;

    var timer = null;
    var asked = 0;
    var lastKey = "";

    function hide() {
      box.hidden = true;
    }

    function choose(id, button) {
      var option = d.categoryOption ? document.querySelector(d.categoryOption.replace("{id}", id)) : null;
      if (option) {
        option.click();
      } else if (category) {
        category.value = String(id);
        category.dispatchEvent(new Event("change", { bubbles: true }));
      }
      Array.prototype.forEach.call(chips.children, function (chip) {
        var on = chip === button;
        chip.classList.toggle("selected", on);
        chip.setAttribute("aria-pressed", on ? "true" : "false");
      });
    }

    function show(data) {
      if (!data || !data.categories || !data.categories.length) { hide(); return; }
      chips.textContent = "";
      var current = category ? String(category.value || "") : "";
      data.categories.forEach(function (c) {
        var percent = Math.round(c.score * 100) + "%";
        var button = document.createElement("button");
        button.type = "button";
        button.className = "chip suggest-chip";
        button.dataset.id = c.category;
        button.setAttribute("aria-pressed", String(c.category) === current ? "true" : "false");
        if (String(c.category) === current) button.classList.add("selected");
        button.setAttribute("aria-label", fill(d.textChoose, { name: c.name, score: percent }));
        if (c.group) {
          var group = document.createElement("span");
          group.className = "muted";
          group.textContent = c.group;
          button.appendChild(group);
        }
        var name = document.createElement("strong");
        name.textContent = c.name;
        button.appendChild(name);
        button.appendChild(document.createTextNode(" " + percent));
        button.addEventListener("click", function () { choose(c.category, button); });
        chips.appendChild(button);
      });
      if (note) note.textContent = data.model && data.model.kind === "keywords" ? (d.textKeywords || "") : "";
      if (note) note.hidden = !note.textContent;
      if (units) {
        var names = (data.units || []).map(function (u) { return u.name; });
        units.textContent = names.length
          ? fill(d.textUnits, { units: names.join(d.textSeparator || ", ") })
          : "";
        units.hidden = !names.length;
      }
      box.hidden = false;
    }

    function ask() {
      var text = description.value.trim();
      if (text.length < MIN_LENGTH) { lastKey = ""; hide(); return; }
      var unit = place && /^\d+$/.test(String(place.value || "")) ? parseInt(place.value, 10) : null;
      var key = unit + "|" + text;
      if (key === lastKey) return;
      if (navigator.onLine === false) return; // asked again once typing resumes online
      lastKey = key;
      var mine = ++asked;
      var body = { description: text.slice(0, 2000) };
      if (unit) body.unit = unit;
      fetch(d.suggestUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRFToken": csrfToken(),
        },
        body: JSON.stringify(body),
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (mine !== asked) return; // an older answer arriving late
          if (!data) lastKey = "";
          show(data);
        })
        .catch(function () {
          if (mine !== asked) return;
          lastKey = "";
          hide();
        });
    }

    function later() {
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY);
    }

    description.addEventListener("input", later);
    if (place) place.addEventListener("change", later);
    if (category) {
      // A category chosen elsewhere on the page shows on the suggested chip too.
      category.addEventListener("change", function () {
        Array.prototype.forEach.call(chips.children, function (chip) {
          var on = chip.dataset.id === String(category.value);
          chip.classList.toggle("selected", on);
          chip.setAttribute("aria-pressed", on ? "true" : "false");
        });
      });
    }
    if (description.value.trim().length >= MIN_LENGTH) later();
  }

  function initAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-suggest-url]"), init);
  }
  window.MinqingSuggest = { init: init, initAll: initAll };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", initAll);
  else initAll();
})();
