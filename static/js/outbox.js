/* Minqing outbox: what a field worker does with no network waits here and is sent in order when
 * the network is back. Used by the intake page (requests) and the case pages (feedback, notes,
 * photos), and counted in the header of every page.
 *
 * An item is put in IndexedDB first, with a UUID made here, and then sent to the API with that
 * UUID as its Idempotency-Key: a resend of something the server already has answers with the
 * first response, so nothing is ever done twice. Items belong to the person who made them (the
 * <meta name="minqing-user"> of the page): another person signed in on the same tablet never
 * sends them, nor sees them counted.
 *
 * window.MinqingOutbox = { put, all, mine, remove, flush, claim, uuid4, csrfToken, trackingCode,
 *   sentHistory, user }. Events on window: "minqing:outbox" (the list changed), "minqing:sent"
 *   {item, body, claimed}, "minqing:refused" {item}, "minqing:conflict" {item}, "minqing:signin".
 */
(function () {
  "use strict";

  var DB_NAME = "minqing-outbox";
  var STORE = "items";
  var OLD_DB = "minqing-intake"; // the intake page's own outbox before this file
  var HISTORY = 20;
  var meta = document.querySelector('meta[name="minqing-user"]');
  var user = meta ? meta.content : "";

  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); });
    return h.slice(0, 4).join("") + "-" + h.slice(4, 6).join("") + "-" + h.slice(6, 8).join("") +
      "-" + h.slice(8, 10).join("") + "-" + h.slice(10, 16).join("");
  }

  /* The tracking code written one way everywhere: two groups of five, as
   * Request.tracking_code_display writes it on the server. */
  function trackingCode(raw) {
    var code = String(raw || "").toUpperCase().replace(/[^0-9A-Z]/g, "");
    return code.length > 5 ? code.slice(0, 5) + "-" + code.slice(5) : code;
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var field = document.querySelector("[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  // --- IndexedDB ------------------------------------------------------------------------------
  var dbPromise = null;
  function openDb() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        if (!window.indexedDB) { reject(new Error("no IndexedDB")); return; }
        var request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore(STORE, { keyPath: "key" });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
      dbPromise.catch(function () { dbPromise = null; });
    }
    return dbPromise;
  }
  function tx(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode);
        var result = work(t.objectStore(STORE));
        t.oncomplete = function () { resolve(result && result.result); };
        t.onerror = function () { reject(t.error); };
        t.onabort = function () { reject(t.error); };
      });
    });
  }
  function changed() { window.dispatchEvent(new CustomEvent("minqing:outbox")); }

  function put(item) {
    item.user = item.user || user;
    item.created = item.created || Date.now();
    item.state = item.state || "waiting";
    return tx("readwrite", function (s) { return s.put(item); }).then(function (r) {
      changed();
      return r;
    });
  }
  function remove(key) {
    return tx("readwrite", function (s) { return s.delete(key); }).then(changed);
  }
  function all() {
    return tx("readonly", function (s) { return s.getAll(); }).then(function (items) {
      // Keys are random: the order is the order they were made in.
      return (items || []).sort(function (a, b) { return a.created - b.created; });
    });
  }
  function mine() {
    return all().then(function (items) {
      return items.filter(function (i) { return String(i.user || "") === String(user); });
    });
  }

  /* Bring over what waited in the intake page's own outbox (an older version of this site). */
  function migrate(requestsApi) {
    return new Promise(function (resolve) {
      if (!window.indexedDB) { resolve(); return; }
      var request = indexedDB.open(OLD_DB, 1);
      var existed = true;
      request.onupgradeneeded = function () { existed = false; request.transaction.abort(); };
      request.onerror = function () { resolve(); };
      request.onsuccess = function () {
        var db = request.result;
        if (!existed || !db.objectStoreNames.contains("outbox")) { db.close(); resolve(); return; }
        var get = db.transaction("outbox", "readonly").objectStore("outbox").getAll();
        get.onsuccess = function () {
          db.close();
          var old = get.result || [];
          Promise.all(old.map(function (item) {
            item.kind = "request";
            item.url = requestsApi;
            item.state = item.error ? "refused" : "waiting";
            return put(item);
          })).then(function () { indexedDB.deleteDatabase(OLD_DB); resolve(); }, resolve);
        };
        get.onerror = function () { db.close(); resolve(); };
      };
    });
  }

  // --- Sent history (codes only: no resident's data kept) -----------------------------------
  function historyKey() { return "minqing-sent:" + user; }
  function sentHistory() {
    try { return JSON.parse(localStorage.getItem(historyKey()) || "[]"); } catch (e) { return []; }
  }
  function remember(body) {
    if (!body || !body.tracking_code) return;
    var list = sentHistory().filter(function (e) { return e.code !== body.tracking_code; });
    list.unshift({ code: body.tracking_code, id: body.id, at: Date.now() });
    try { localStorage.setItem(historyKey(), JSON.stringify(list.slice(0, HISTORY))); } catch (e) { /* full */ }
  }

  // --- Sending ------------------------------------------------------------------------------
  var claimed = {};
  /* The page that made an item shows its outcome itself (the intake page's panel). */
  function claim(key, yes) {
    if (yes === false) delete claimed[key];
    else claimed[key] = true;
  }

  function send(item) {
    var body = new FormData();
    (item.fields || []).forEach(function (pair) { body.append(pair[0], pair[1]); });
    (item.files || []).forEach(function (entry) {
      var name = Array.isArray(entry) ? entry[0] : "photos";
      var file = Array.isArray(entry) ? entry[1] : entry;
      body.append(name, file, file.name || "photo.jpg");
    });
    return fetch(item.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Idempotency-Key": item.key, "X-CSRFToken": csrfToken(), Accept: "application/json" },
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        return { status: response.status, body: json };
      });
    });
  }

  /* Flatten DRF and domain errors to {field: message}. */
  function errorsOf(body) {
    var out = {};
    Object.keys(body || {}).forEach(function (key) {
      var v = body[key];
      if (key === "code" || key === "state" || key === "version") return;
      if (Array.isArray(v)) out[key] = v.join(" ");
      else if (v && typeof v === "object") {
        Object.keys(v).forEach(function (sub) { out[key + "." + sub] = [].concat(v[sub]).join(" "); });
      } else if (typeof v === "string") out[key] = v;
    });
    return out;
  }
  function emit(name, detail) { window.dispatchEvent(new CustomEvent(name, { detail: detail })); }

  /* One pass over the waiting items, in order. Answers {key: outcome} for what it tried. */
  function pass() {
    var outcomes = {};
    if (!navigator.onLine) return Promise.resolve(outcomes);
    return mine().then(function (items) {
      var chain = Promise.resolve();
      // A case with an item in conflict or refused holds its later items until the worker
      // has dealt with it: a note must not overtake the feedback it followed.
      var held = {};
      items.forEach(function (i) {
        if (i.kind === "case" && (i.state === "conflict" || i.state === "refused")) {
          held[i.caseId] = true;
        }
      });
      items.filter(function (i) { return i.state === "waiting"; }).forEach(function (item) {
        chain = chain.then(function () {
          if (item.kind === "case" && held[item.caseId]) {
            outcomes[item.key] = "held";
            return;
          }
          return send(item).then(function (result) {
            var status = result.status;
            var body = result.body || {};
            if (status >= 200 && status < 300) {
              outcomes[item.key] = "sent";
              if (item.kind === "request") remember(body);
              return remove(item.key).then(function () {
                emit("minqing:sent", { item: item, body: body, claimed: !!claimed[item.key] });
              });
            }
            // Signed out, or the CSRF cookie is gone: stop, and say so.
            if (status === 401 || (status === 403 && body.state === undefined)) {
              outcomes[item.key] = "signin";
              emit("minqing:signin", {});
              throw { stop: true };
            }
            if (status === 409 && item.kind === "case" && body.state !== undefined) {
              outcomes[item.key] = "conflict";
              item.state = "conflict";
              item.now = { state: body.state, version: body.version, detail: body.detail || "" };
              held[item.caseId] = true;
              return put(item).then(function () { emit("minqing:conflict", { item: item }); });
            }
            if (status >= 400 && status < 500 && status !== 429 && status !== 408) {
              outcomes[item.key] = "refused";
              item.state = "refused";
              if (item.kind === "case") held[item.caseId] = true;
              item.errors = errorsOf(body);
              item.error = body.detail || Object.keys(item.errors).map(function (k) {
                return item.errors[k];
              }).join(" ");
              return put(item).then(function () {
                emit("minqing:refused", { item: item, claimed: !!claimed[item.key] });
              });
            }
            outcomes[item.key] = "retry";
            throw { stop: true }; // the server is unwell: keep the order, try later
          }, function () {
            outcomes[item.key] = "retry";
            throw { stop: true }; // no network after all
          });
        });
      });
      return chain;
    }).then(function () { return outcomes; }, function () { return outcomes; });
  }

  var queue = Promise.resolve({});
  function flush() {
    queue = queue.then(pass, pass);
    return queue;
  }

  window.MinqingOutbox = {
    user: user,
    put: put,
    all: all,
    mine: mine,
    remove: remove,
    flush: flush,
    claim: claim,
    migrate: migrate,
    uuid4: uuid4,
    csrfToken: csrfToken,
    trackingCode: trackingCode,
    sentHistory: sentHistory,
    errorsOf: errorsOf,
  };

  if (!window.indexedDB || !window.fetch) return;
  window.addEventListener("online", function () { flush(); });
  setInterval(function () { if (navigator.onLine) flush(); }, 30000);
})();
