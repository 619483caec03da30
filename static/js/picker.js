// Searchable pickers: a progressive enhancement of <select data-picker> and
// <select multiple data-picker>. Without this script the plain select works; with it, a text box
// filters the options by name, pinyin initials ("zs") or full pinyin ("zhangsan") for 张三, and the
// select stays in the form (visually hidden) holding the value that is posted.
//
// Read from the select:
//   data-picker              what it picks ("units", "people", "places"): only a class name here
//   data-picker-placeholder  the text box's placeholder
//   data-picker-source       an API URL (/api/v1/pickers/...) asked with ?q= when the list is long
//   data-picker-follows      the id of another select: only options whose data-units hold its
//                            value are offered (a unit's handlers), and the source gets &unit=
// Read from each option: data-pinyin ("zs zhangsan"), data-hint (shown beside the name),
// data-units (ids, space-separated).
//
// Keyboard: type to filter, ↓/↑ to move, Enter to choose, Esc to close, Backspace in an empty box
// removes the last chip of a multiple picker. The list is an ARIA listbox owned by a combobox.
//
// The same file opens a refused action form where the eye is: the first field in error.
(function () {
  "use strict";

  var SHOWN = 50; // rows drawn at once; typing narrows the rest
  var SERVER_ABOVE = 150; // with a source, lists longer than this are searched on the server
  // The words, from the message catalogue (templates/base.html, #picker-text); "{n}" and
  // "{name}" are filled in here.
  var words = (document.getElementById("picker-text") || { dataset: {} }).dataset;
  function say(key, fallback, values) {
    var out = words[key] || fallback;
    Object.keys(values || {}).forEach(function (k) { out = out.split("{" + k + "}").join(values[k]); });
    return out;
  }
  var T = {
    none: say("none", "No match"),
    results: function (n) { return say("results", "Results: {n}", { n: n }); },
    more: function (n) { return say("more", "{n} more: keep typing to narrow them", { n: n }); },
    remove: say("remove", "Remove"),
    clear: say("clear", "Clear"),
    chosen: say("chosen", "Chosen"),
    search: say("search", "Search…"),
    only: function (name) { return say("only", "Only the people of {name}", { name: name }); },
    narrow: say("narrow", "More match: keep typing to narrow them"),
    loading: say("loading", "Searching…")
  };
  var uid = 0;
  var selectValue = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value");
  var selectIndex = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "selectedIndex");

  function low(text) { return (text || "").toLowerCase(); }

  function itemOf(option) {
    return {
      value: option.value,
      text: option.textContent.trim(),
      hint: option.getAttribute("data-hint") || "",
      keys: low(option.getAttribute("data-pinyin")).split(/\s+/).filter(Boolean),
      units: (option.getAttribute("data-units") || "").split(/\s+/).filter(Boolean),
      option: option
    };
  }

  // 0: starts with the query; 1: holds it; -1: no match.
  function rank(item, q) {
    if (!q) return 0;
    var name = low(item.text), key = low(q).replace(/\s+/g, "");
    if (name.indexOf(low(q)) === 0) return 0;
    for (var i = 0; i < item.keys.length; i++) if (item.keys[i].indexOf(key) === 0) return 0;
    if (name.indexOf(low(q)) !== -1) return 1;
    for (var j = 0; j < item.keys.length; j++) if (key && item.keys[j].indexOf(key) !== -1) return 1;
    return -1;
  }

  function labelFor(select) {
    if (select.id) {
      var byFor = document.querySelector('label[for="' + select.id + '"]');
      if (byFor) return byFor;
    }
    return select.closest("label");
  }

  function labelText(label) {
    if (!label) return "";
    var copy = label.cloneNode(true);
    copy.querySelectorAll("select, .req, [aria-hidden]").forEach(function (n) { n.remove(); });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function enhance(select) {
    if (select.dataset.pickerReady) return;
    select.dataset.pickerReady = "1";
    var n = ++uid;
    var multiple = select.multiple;
    var label = labelFor(select);
    var name = labelText(label);
    var follows = select.dataset.pickerFollows
      ? document.getElementById(select.dataset.pickerFollows) : null;
    var source = select.dataset.pickerSource || "";

    var wrap = document.createElement("div");
    wrap.className = "picker" + (multiple ? " picker-multiple" : "");
    wrap.setAttribute("data-picker-for", select.id || "");
    var chips = document.createElement("ul");
    chips.className = "picker-chips";
    chips.setAttribute("aria-label", (name ? name + " · " : "") + T.chosen);
    var box = document.createElement("div");
    box.className = "picker-box";
    var input = document.createElement("input");
    input.type = "text";
    input.className = "picker-input";
    input.id = "picker-" + n;
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", "picker-list-" + n);
    input.placeholder = select.dataset.pickerPlaceholder || T.search;
    if (label) {
      if (!label.id) label.id = "picker-label-" + n;
      input.setAttribute("aria-labelledby", label.id);
    }
    ["aria-invalid", "aria-describedby", "required"].forEach(function (attr) {
      if (select.hasAttribute(attr)) input.setAttribute(attr, select.getAttribute(attr));
    });
    var clear = document.createElement("button");
    clear.type = "button";
    clear.className = "picker-clear";
    clear.setAttribute("aria-label", T.clear);
    clear.textContent = "×";
    var list = document.createElement("ul");
    list.className = "picker-list";
    list.id = "picker-list-" + n;
    list.setAttribute("role", "listbox");
    if (name) list.setAttribute("aria-label", name);
    if (multiple) list.setAttribute("aria-multiselectable", "true");
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "picker-status";
    status.setAttribute("aria-live", "polite");

    box.appendChild(input);
    if (!multiple) box.appendChild(clear);
    if (multiple) wrap.appendChild(chips);
    wrap.appendChild(box);
    wrap.appendChild(list);
    wrap.appendChild(status);
    // A select inside its label: the picker goes after the label, so a tap on a row is never
    // taken for a tap on the label.
    var anchor = select.closest("label") || select;
    anchor.parentNode.insertBefore(wrap, anchor.nextSibling);
    select.classList.add("picker-native");
    select.setAttribute("tabindex", "-1");
    select.setAttribute("aria-hidden", "true");
    if (label && label.htmlFor === select.id) {
      label.addEventListener("click", function (event) { event.preventDefault(); input.focus(); });
    }

    var items = [];
    var shown = [];
    var active = -1;
    var remote = null; // the server's rows for the current query, or null
    var pending = null;
    var timer = 0;

    function readOptions() {
      items = Array.prototype.filter
        .call(select.options, function (o) { return o.value !== ""; })
        .map(itemOf);
    }

    function allowed(item) {
      if (!follows || !follows.value) return true;
      return item.units.indexOf(follows.value) !== -1;
    }

    function chosen() {
      return items.filter(function (item) { return item.option.selected; });
    }

    function showValue() {
      if (multiple) {
        chips.textContent = "";
        chosen().forEach(function (item) {
          var chip = document.createElement("li");
          chip.className = "picker-chip";
          var text = document.createElement("span");
          text.textContent = item.text;
          var remove = document.createElement("button");
          remove.type = "button";
          remove.className = "picker-chip-remove";
          remove.setAttribute("aria-label", T.remove + " " + item.text);
          remove.textContent = "×";
          remove.addEventListener("click", function () {
            item.option.selected = false;
            changed();
            input.focus();
          });
          chip.appendChild(text);
          chip.appendChild(remove);
          chips.appendChild(chip);
        });
        chips.hidden = !chips.children.length;
        return;
      }
      var current = select.selectedIndex >= 0 ? select.options[select.selectedIndex] : null;
      input.value = current && current.value !== "" ? current.textContent.trim() : "";
      clear.hidden = !input.value || select.disabled;
    }

    function changed() {
      showValue();
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function say(text) { status.textContent = text; }

    function draw(q) {
      var pool = remote || items;
      var ranked = [];
      pool.forEach(function (item) {
        if (!allowed(item)) return;
        var r = remote ? 0 : rank(item, q);
        if (r >= 0) ranked.push([r, item]);
      });
      ranked.sort(function (a, b) { return a[0] - b[0]; });
      shown = ranked.slice(0, SHOWN).map(function (pair) { return pair[1]; });
      list.textContent = "";
      shown.forEach(function (item, i) {
        var row = document.createElement("li");
        row.id = "picker-" + n + "-" + i;
        row.className = "picker-option";
        row.setAttribute("role", "option");
        var picked = item.option ? item.option.selected : select.value === item.value;
        row.setAttribute("aria-selected", picked ? "true" : "false");
        var text = document.createElement("span");
        text.className = "picker-name";
        text.textContent = item.text;
        row.appendChild(text);
        if (item.hint) {
          var hint = document.createElement("span");
          hint.className = "picker-hint";
          hint.textContent = item.hint;
          row.appendChild(hint);
        }
        row.addEventListener("mousedown", function (event) { event.preventDefault(); });
        row.addEventListener("click", function () { pick(item); });
        list.appendChild(row);
      });
      var hidden = ranked.length - shown.length;
      var words = shown.length ? T.results(ranked.length) : T.none;
      if (hidden > 0) words = T.more(hidden);
      else if (remote && remote.more) words = T.narrow;
      if (follows && follows.value && follows.selectedIndex >= 0) {
        words = T.only(follows.options[follows.selectedIndex].textContent.trim()) + " · " + words;
      }
      say(words);
      var current = multiple || q ? -1 : shown.findIndex(function (item) {
        return select.value === item.value;
      });
      move(current >= 0 ? current : shown.length ? 0 : -1);
    }

    function move(to) {
      var rows = list.children;
      if (active >= 0 && rows[active]) rows[active].classList.remove("active");
      active = to;
      if (active >= 0 && rows[active]) {
        rows[active].classList.add("active");
        input.setAttribute("aria-activedescendant", rows[active].id);
        rows[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open() {
      if (!list.hidden) return;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      wrap.classList.add("open");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      wrap.classList.remove("open");
      remote = null;
      say("");
    }

    function optionFor(item) {
      if (item.option) return item.option;
      var found = Array.prototype.find.call(select.options, function (o) {
        return o.value === String(item.value);
      });
      if (!found) {
        found = new Option(item.text, item.value);
        if (item.hint) found.setAttribute("data-hint", item.hint);
        if (item.units.length) found.setAttribute("data-units", item.units.join(" "));
        select.appendChild(found);
        readOptions();
      }
      return found;
    }

    function pick(item) {
      var option = optionFor(item);
      if (multiple) {
        option.selected = !option.selected;
        input.value = "";
        changed();
        draw("");
        input.focus();
        return;
      }
      selectValue.set.call(select, option.value);
      changed();
      close();
    }

    function useServer() {
      if (!source || !navigator.onLine) return false;
      return select.hasAttribute("data-picker-partial") || items.length > SERVER_ABOVE;
    }

    function ask(q) {
      clearTimeout(timer);
      if (pending) pending.abort();
      if (!q || !useServer()) { remote = null; draw(q); return; }
      timer = setTimeout(function () {
        var url = new URL(source, window.location.href);
        url.searchParams.set("q", q);
        if (follows && follows.value) url.searchParams.set("unit", follows.value);
        pending = new AbortController();
        say(T.loading);
        fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin",
                     signal: pending.signal })
          .then(function (response) {
            if (!response.ok) throw new Error(String(response.status));
            return response.json();
          })
          .then(function (body) {
            remote = body.results.map(function (row) {
              return { value: String(row.id), text: row.name, hint: row.hint || "", keys: [],
                       units: (row.units || []).map(String), option: null };
            });
            remote.more = body.more;
            draw(q);
          })
          .catch(function (error) {
            if (error && error.name === "AbortError") return;
            remote = null; // offline or refused: the page's own options still work
            draw(q);
          });
      }, 200);
    }

    input.addEventListener("focus", function () {
      if (!multiple) input.select();
      open();
      draw(multiple ? input.value : "");
    });
    input.addEventListener("input", function () { open(); ask(input.value.trim()); });
    input.addEventListener("keydown", function (event) {
      var key = event.key;
      if (key === "ArrowDown" || key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) { open(); draw(multiple ? input.value : ""); return; }
        var step = key === "ArrowDown" ? 1 : -1;
        if (shown.length) move((active + step + shown.length) % shown.length);
      } else if (key === "Enter") {
        if (!list.hidden && active >= 0 && shown[active]) {
          event.preventDefault(); // never submits the form while choosing
          pick(shown[active]);
        }
      } else if (key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          close();
          showValue();
          if (multiple) input.value = "";
        }
      } else if (key === "Backspace" && multiple && !input.value) {
        var last = chosen().pop();
        if (last) { last.option.selected = false; changed(); }
      }
    });
    wrap.addEventListener("focusout", function (event) {
      if (wrap.contains(event.relatedTarget)) return;
      if (!multiple && !input.value.trim() && select.value !== "" &&
          Array.prototype.some.call(select.options, function (o) { return o.value === ""; })) {
        selectValue.set.call(select, ""); // the box was emptied: nothing chosen
        changed();
      }
      close();
      showValue();
      if (multiple) input.value = "";
    });
    clear.addEventListener("click", function () {
      selectValue.set.call(select, "");
      changed();
      input.focus();
    });
    // The select changed under us: a test's select_option, another script, a form reset.
    select.addEventListener("change", function () { readOptions(); showValue(); });
    if (select.form) {
      select.form.addEventListener("reset", function () { setTimeout(showValue, 0); });
    }
    Object.defineProperty(select, "value", {
      configurable: true,
      get: function () { return selectValue.get.call(this); },
      set: function (v) { selectValue.set.call(this, v); showValue(); }
    });
    Object.defineProperty(select, "selectedIndex", {
      configurable: true,
      get: function () { return selectIndex.get.call(this); },
      set: function (v) { selectIndex.set.call(this, v); showValue(); }
    });
    if (follows) {
      follows.addEventListener("change", function () {
        // A handler of another unit is no longer a choice once the unit changed.
        var current = items.filter(function (item) { return item.option.selected; });
        if (current.some(function (item) { return !allowed(item); })) {
          current.forEach(function (item) { item.option.selected = false; });
          if (!multiple) selectValue.set.call(select, "");
          changed();
        }
        if (!list.hidden) draw(input.value);
      });
    }

    readOptions();
    showValue();
    if (select.hasAttribute("autofocus") && document.activeElement !== input) input.focus();
  }

  function enhanceAll(root) {
    (root || document).querySelectorAll("select[data-picker]").forEach(enhance);
  }

  // A refused action form: open, and the first field in error in view (its control has
  // autofocus; a picker moves that focus to its text box).
  function showRefused() {
    var refused = document.querySelector("[data-refused]");
    if (!refused) return;
    if (refused.tagName === "DETAILS") refused.open = true;
    var field = refused.querySelector(".invalid, .form-errors") || refused;
    field.scrollIntoView({ block: "center" });
  }

  function start() {
    enhanceAll(document);
    showRefused();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  // Pages that swap in markup with htmx get their pickers too.
  document.addEventListener("htmx:afterSwap", function (event) { enhanceAll(event.target); });
  window.minqingPickers = { enhance: enhanceAll };
})();
