/* Minqing offline, on every page: registers the service worker (/sw.js, scope "/"), keeps its
 * page cache to the person signed in, counts what waits in the outbox in the header, shows a
 * request's tracking code with its QR code when it is sent (even from another page, later),
 * queues a case's feedback, notes and photos made with no network, and draws the outbox page
 * (what waits, what was refused, and a case changed meanwhile: discard or apply again).
 */
(function () {
  "use strict";

  var box = window.MinqingOutbox;
  var link = document.getElementById("outbox-link");
  var text = link ? link.dataset : {};
  var LAST_USER = "minqing-last-user";
  var QUEUED_ACTIONS = ["feedback", "note", "photo"];

  // What is scrolled into view stops below the sticky header (scroll-margin-top in offline.css).
  var bar = document.querySelector(".topbar");
  function measure() {
    if (bar) document.documentElement.style.setProperty("--topbar-h", bar.offsetHeight + "px");
  }
  measure();
  window.addEventListener("resize", measure);

  // --- Service worker ---------------------------------------------------------------------
  function clearPages() {
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "clear" });
    }
    if (!window.caches) return Promise.resolve();
    return caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k.indexOf("minqing-pages-") === 0; })
        .map(function (k) { return caches.delete(k); }));
    }).catch(function () {});
  }

  function tell(message) {
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage(message);
    }
  }

  var user = box ? box.user : "";
  var last = null;
  try { last = localStorage.getItem(LAST_USER); } catch (e) { /* private mode */ }
  if (!user) {
    // Signed out (or never in): nobody's pages stay on the device.
    if (last) clearPages();
    try { localStorage.removeItem(LAST_USER); } catch (e) { /* private mode */ }
  } else if (last !== user) {
    // Someone else, or nobody known (the last one signed out while a page was still being
    // kept): start from an empty cache either way.
    var cleared = clearPages();
    try { localStorage.setItem(LAST_USER, user); } catch (e) { /* private mode */ }
    cleared.then(function () { tell({ type: "keep", url: location.href }); });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-signout")) return;
    event.preventDefault();
    try { localStorage.removeItem(LAST_USER); } catch (e) { /* private mode */ }
    clearPages().then(function () { HTMLFormElement.prototype.submit.call(form); });
  });

  if ("serviceWorker" in navigator && window.isSecureContext && text.sw) {
    // The intake page's own worker (scope /requests/) is retired: the root one serves all.
    navigator.serviceWorker.getRegistrations().then(function (registrations) {
      registrations.forEach(function (r) {
        if (r.scope !== location.origin + "/") r.unregister();
      });
    }).catch(function () {});
    navigator.serviceWorker.register(text.sw, { scope: "/" }).then(function () {
      var warmed = 0;
      try { warmed = Number(sessionStorage.getItem("minqing-warmed") || 0); } catch (e) { /* */ }
      if (user && navigator.onLine && Date.now() - warmed > 15 * 60 * 1000) {
        navigator.serviceWorker.ready.then(function (reg) {
          if (reg.active) reg.active.postMessage({ type: "warm" });
          try { sessionStorage.setItem("minqing-warmed", String(Date.now())); } catch (e) { /* */ }
        });
      }
    }).catch(function () {});
  }

  if (!box || !window.indexedDB || !link) return;

  // --- Header counter -----------------------------------------------------------------------
  function count() {
    box.mine().then(function (items) {
      var n = items.length;
      link.querySelector("[data-outbox-count]").textContent = String(n);
      link.hidden = n === 0;
      link.classList.toggle("has-problem", items.some(function (i) { return i.state !== "waiting"; }));
      if (page) drawPage(items);
      caseBanner(items);
    }).catch(function () {});
  }
  window.addEventListener("minqing:outbox", count);

  // --- Toasts: a sent request's tracking code, big, with its QR ---------------------------
  var toasts = null;
  function toastArea() {
    if (!toasts) {
      toasts = document.createElement("div");
      toasts.className = "toasts";
      toasts.setAttribute("aria-live", "polite");
      document.body.appendChild(toasts);
    }
    return toasts;
  }
  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content) node.textContent = content;
    return node;
  }
  function qrUrl(code) { return text.qrUrl.replace("CODE", encodeURIComponent(code)); }

  /* A card with the code written one way, its QR and a link: used by the toast and the intake
   * page's panel and history. */
  function codeCard(body) {
    var code = box.trackingCode(body.tracking_code);
    var card = el("div", "code-card");
    card.appendChild(el("p", "code-label", text.textSent));
    var strong = el("strong", "tracking-code", code);
    strong.setAttribute("data-tracking-code", code);
    card.appendChild(strong);
    var img = el("img", "tracking-qr");
    img.src = qrUrl(body.tracking_code);
    img.alt = text.textScan + " " + code;
    img.width = 176;
    img.height = 176;
    card.appendChild(img);
    card.appendChild(el("p", "muted", text.textScan));
    if (body.id) {
      var view = el("a", "button", text.textView);
      view.href = text.requestUrl.replace("/0/", "/" + body.id + "/");
      card.appendChild(view);
    }
    return card;
  }

  function toast(node, role) {
    var wrap = el("div", "toast" + (role ? " toast-" + role : ""));
    wrap.setAttribute("role", role === "problem" ? "alert" : "status");
    wrap.appendChild(node);
    var close = el("button", "button toast-close", text.textClose);
    close.type = "button";
    close.addEventListener("click", function () { wrap.remove(); });
    wrap.appendChild(close);
    toastArea().appendChild(wrap);
    close.focus({ preventScroll: true });
    return wrap;
  }

  window.addEventListener("minqing:sent", function (event) {
    var detail = event.detail;
    if (detail.item.kind !== "request" || detail.claimed) return;
    toast(codeCard(detail.body), "sent");
  });
  window.addEventListener("minqing:conflict", function () {
    toast(el("p", "", text.textConflict), "problem").appendChild(outboxLink());
  });
  window.addEventListener("minqing:signin", function () {
    if (!document.querySelector(".toast-signin")) toast(el("p", "", text.textSignin), "signin");
  });
  function outboxLink() {
    var a = el("a", "button", link.textContent.replace(/\d+\s*$/, "").trim());
    a.href = link.href;
    return a;
  }

  box.MinqingCodeCard = codeCard;

  // --- Case pages: feedback, notes, photos made with no network wait in the outbox ----------
  var CASE_FORM = /\/cases\/(\d+)\/([\w-]+)\/$/;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (navigator.onLine || event.defaultPrevented || !form.action) return;
    var match = new URL(form.action, location.href).pathname.match(CASE_FORM);
    if (!match) return;
    event.preventDefault();
    if (!form.checkValidity()) {
      form.reportValidity(); // what the server would refuse later, said now
      return;
    }
    var caseId = match[1];
    var action = match[2];
    if (QUEUED_ACTIONS.indexOf(action) === -1) {
      toast(el("p", "", text.textOffline), "problem");
      return;
    }
    var fields = [];
    var files = [];
    var shown = []; // what the outbox page shows: the form's own labels and choices
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken") return;
      if (value instanceof File) { if (value.size) files.push([name, value]); } else fields.push([name, value]);
      if (name === "version" || value instanceof File || value === "") return;
      shown.push([labelOf(form, name), choiceOf(form, name, value)]);
    });
    var summary = form.querySelector("button[type=submit], button:not([type])");
    var title = document.querySelector("h1");
    box.put({
      key: box.uuid4(),
      kind: "case",
      caseId: caseId,
      action: action,
      url: text.casesApi + caseId + "/" + action + "/",
      fields: fields,
      shown: shown,
      files: files,
      summary: (summary ? summary.textContent.trim() : action) + " · " +
        (title ? title.firstChild.textContent.trim() : ""),
    }).then(function () {
      form.reset();
      var details = form.closest("details");
      if (details) details.open = false;
      toast(el("p", "", text.textQueued), "queued");
    });
  });

  // --- The case page: a conflict waiting for this case is said at its top -----------------
  var here = location.pathname.match(/^\/cases\/(\d+)\/$/);
  function caseBanner(items) {
    if (!here) return;
    var old = document.getElementById("case-conflict");
    if (old) old.remove();
    var mine = items.filter(function (i) { return i.caseId === here[1] && i.state === "conflict"; });
    if (!mine.length) return;
    var banner = el("div", "message error case-conflict", text.textConflict + " ");
    banner.id = "case-conflict";
    banner.setAttribute("role", "alert");
    banner.appendChild(outboxLink());
    var main = document.querySelector("main");
    main.insertBefore(banner, main.firstChild);
  }

  // --- The outbox page --------------------------------------------------------------------
  var page = document.getElementById("outbox-page");
  var states = {};
  if (page) {
    try { states = JSON.parse(document.getElementById("case-states").textContent); } catch (e) { /* */ }
    document.getElementById("outbox-send").addEventListener("click", function () { box.flush(); });
  }
  function button(label, className, onClick) {
    var b = el("button", "button " + (className || ""), label);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }
  // The words the worker saw on the form, not the API's names and values.
  function labelOf(form, name) {
    var control = form.querySelector('[name="' + name + '"]');
    if (!control) return name;
    var group = control.closest("fieldset");
    if (group && group.querySelector("legend") && control.type === "radio") {
      return group.querySelector("legend").textContent.replace("*", "").trim();
    }
    var label = control.id && form.querySelector('label[for="' + control.id + '"]');
    label = label || control.closest("label");
    return label ? label.textContent.replace("*", "").trim() : name;
  }
  function choiceOf(form, name, value) {
    var radios = form.querySelectorAll('input[type=radio][name="' + name + '"]');
    for (var i = 0; i < radios.length; i++) {
      if (radios[i].value === value) {
        var label = radios[i].closest("label") ||
          form.querySelector('label[for="' + radios[i].id + '"]');
        if (label) return label.textContent.trim();
      }
    }
    var select = form.querySelector('select[name="' + name + '"]');
    if (select) {
      for (var j = 0; j < select.options.length; j++) {
        if (select.options[j].value === value) return select.options[j].textContent.trim();
      }
    }
    return String(value);
  }
  function fieldList(item) {
    var dl = el("dl", "facts queued-fields");
    var pairs = item.shown || (item.fields || []).filter(function (pair) {
      return pair[0] !== "version";
    });
    pairs.forEach(function (pair) {
      dl.appendChild(el("dt", "", pair[0]));
      dl.appendChild(el("dd", "", String(pair[1])));
    });
    (item.files || []).forEach(function (entry) {
      var file = Array.isArray(entry) ? entry[1] : entry;
      dl.appendChild(el("dt", "", "📷"));
      dl.appendChild(el("dd", "", file.name || ""));
    });
    return dl;
  }
  function drawPage(items) {
    var list = document.getElementById("outbox-items");
    list.textContent = "";
    document.getElementById("outbox-empty").hidden = items.length > 0;
    var d = page.dataset;
    items.forEach(function (item) {
      var li = el("li", "card outbox-item outbox-" + item.state);
      li.setAttribute("data-outbox-key", item.key);
      li.appendChild(el("p", "", new Date(item.created).toLocaleString() + " · " + (item.summary || "")));
      var stateText = { waiting: d.textWaiting, refused: d.textRefused, conflict: d.textConflict };
      li.appendChild(el("p", "badge outbox-state", stateText[item.state] || item.state));
      if (item.state === "refused") li.appendChild(el("p", "error", item.error || ""));
      if (item.state === "conflict") {
        var grid = el("div", "conflict");
        var queued = el("section", "conflict-queued");
        queued.appendChild(el("h3", "", d.textQueued));
        queued.appendChild(fieldList(item));
        var now = el("section", "conflict-now");
        now.appendChild(el("h3", "", d.textNow));
        now.appendChild(el("p", "", (states[item.now.state] || item.now.state) + " · v" + item.now.version));
        if (item.now.detail) now.appendChild(el("p", "muted", item.now.detail));
        var open = el("a", "", d.textOpenCase);
        open.href = d.caseUrl.replace("/0/", "/" + item.caseId + "/");
        now.appendChild(open);
        grid.appendChild(queued);
        grid.appendChild(now);
        li.appendChild(grid);
        li.appendChild(button(d.textReapply, "primary", function () {
          // Again, on the case as it is now: its current version, and a new key (another body).
          item.fields = item.fields.filter(function (p) { return p[0] !== "version"; });
          item.fields.push(["version", String(item.now.version)]);
          item.key = box.uuid4();
          item.state = "waiting";
          delete item.now;
          box.remove(li.getAttribute("data-outbox-key")).then(function () {
            return box.put(item);
          }).then(function () { box.flush(); });
        }));
      } else if (item.state === "waiting") {
        li.appendChild(fieldList(item));
      }
      li.appendChild(button(d.textDiscard, "", function () {
        if (window.confirm(d.textConfirm)) box.remove(item.key);
      }));
      list.appendChild(li);
    });
  }

  box.migrate(document.querySelector("[data-api]") ? document.querySelector("[data-api]").dataset.api
    : "/api/v1/requests/").then(function () {
    count();
    box.flush();
  });
})();
