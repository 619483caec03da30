/* Minqing intake: category search, resident look-up, location, and an offline outbox.
 *
 * A submission is put in an outbox in IndexedDB first, with a UUID made here, and then sent to
 * the API with that UUID as its Idempotency-Key. If the network is gone it stays in the outbox
 * and is sent when the tablet is back online; a resend of something the server already has
 * answers with the first response, so nothing is ever created twice.
 * Without JavaScript or IndexedDB the form posts as a plain HTML form.
 */
(function () {
  "use strict";

  var form = document.getElementById("intake-form");
  if (!form) return;
  var text = form.dataset;
  var DB_NAME = "minqing-intake";
  var STORE = "outbox";

  // --- Keys ------------------------------------------------------------------------------------
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
  // The page may come from the offline cache: never reuse the key it was rendered with.
  form.elements.idempotency_key.value = uuid4();

  // --- Category picker (search by name, pinyin initials, full pinyin, English) -----------------
  var search = document.getElementById("category-search");
  var chips = Array.prototype.slice.call(document.querySelectorAll(".category-chip"));
  var idField = document.getElementById("id-number-field");

  function selectCategory(chip) {
    chips.forEach(function (c) {
      c.classList.toggle("selected", c === chip);
      c.setAttribute("aria-selected", c === chip ? "true" : "false");
    });
    form.elements.category.value = chip ? chip.dataset.id : "";
    var needsId = chip && chip.dataset.needsId === "1";
    idField.hidden = !needsId;
    if (!needsId) form.elements.id_number.value = "";
    form.elements.category.dispatchEvent(new Event("change", { bubbles: true }));
    setError("category", "");
  }
  chips.forEach(function (chip) {
    chip.addEventListener("click", function () { selectCategory(chip); });
  });
  search.addEventListener("input", function () {
    var q = search.value.trim().toLowerCase().replace(/\s+/g, "");
    chips.forEach(function (chip) {
      chip.hidden = q !== "" && chip.dataset.search.replace(/\s+/g, " ").indexOf(q) === -1 &&
        chip.dataset.search.replace(/\s+/g, "").indexOf(q) === -1;
    });
  });
  search.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    event.preventDefault();
    var first = chips.filter(function (c) { return !c.hidden; })[0];
    if (first) selectCategory(first);
  });

  // --- A known resident fills the empty fields ---------------------------------------------------
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.id !== "resident-hint") return;
    var hint = event.target.querySelector("[data-resident]");
    if (!hint) return;
    if (!form.elements.resident_name.value) form.elements.resident_name.value = hint.dataset.name;
    if (!form.elements.resident_address.value) {
      form.elements.resident_address.value = hint.dataset.address;
    }
  });

  // --- Photos and location -------------------------------------------------------------------
  var photos = form.elements.photos;
  photos.addEventListener("change", function () {
    document.getElementById("photo-count").textContent = photos.files.length
      ? Array.prototype.map.call(photos.files, function (f) { return f.name; }).join(", ")
      : "";
  });
  var locate = document.getElementById("locate");
  locate.addEventListener("click", function () {
    var status = document.getElementById("location-status");
    if (!navigator.geolocation) return;
    status.textContent = "…";
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.elements.latitude.value = pos.coords.latitude.toFixed(6);
      form.elements.longitude.value = pos.coords.longitude.toFixed(6);
      status.textContent = form.elements.latitude.value + ", " + form.elements.longitude.value;
      form.elements.latitude.dispatchEvent(new Event("change", { bubbles: true }));
    }, function (err) { status.textContent = err.message; }, { timeout: 15000 });
  });

  // Shrink big camera photos before they wait in the outbox or go over a weak network.
  function shrink(file) {
    if (!window.createImageBitmap || file.size < 1500000) return Promise.resolve(file);
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, 2048 / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          resolve(blob ? new File([blob], file.name.replace(/\.\w+$/, "") + ".jpg",
            { type: "image/jpeg" }) : file);
        }, "image/jpeg", 0.85);
      });
    }).catch(function () { return file; });
  }

  // --- The outbox in IndexedDB ---------------------------------------------------------------
  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "key" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function tx(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode);
        var result = work(t.objectStore(STORE));
        t.oncomplete = function () { resolve(result && result.result); };
        t.onerror = function () { reject(t.error); };
      });
    });
  }
  var outbox = {
    put: function (item) { return tx("readwrite", function (s) { return s.put(item); }); },
    remove: function (key) { return tx("readwrite", function (s) { return s.delete(key); }); },
    all: function () { return tx("readonly", function (s) { return s.getAll(); }); },
  };

  // --- Building and sending one submission -----------------------------------------------------
  function value(name) {
    var el = form.elements[name];
    return el ? String(el.value || "").trim() : "";
  }

  function buildItem(submitter) {
    var fields = [
      ["channel", value("channel")],
      ["category", value("category")],
      ["unit", value("unit")],
      ["urgency", (form.querySelector("[name=urgency]:checked") || {}).value || "normal"],
      ["description", value("description")],
      ["collected_at", new Date().toISOString()],
    ];
    ["visit", "latitude", "longitude", "id_number"].forEach(function (name) {
      if (value(name)) fields.push([name, value(name)]);
    });
    ["name", "phone", "address"].forEach(function (name) {
      if (value("resident_" + name)) fields.push(["resident." + name, value("resident_" + name)]);
    });
    var outcome = submitter && submitter.name === "outcome" ? submitter.value : "";
    if (submitter && submitter.name === "merge_into") {
      outcome = "merge";
      fields.push(["merge_into", submitter.value]);
    }
    if (outcome) fields.push(["outcome", outcome]);
    if (outcome === "answer_on_spot") fields.push(["answer", value("answer")]);
    return Promise.all(Array.prototype.map.call(photos.files, shrink)).then(function (files) {
      return {
        key: value("idempotency_key"),
        fields: fields,
        files: files,
        created: Date.now(),
        summary: value("description").slice(0, 40),
      };
    });
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : value("csrfmiddlewaretoken");
  }

  function send(item) {
    var body = new FormData();
    item.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    (item.files || []).forEach(function (file) { body.append("photos", file, file.name); });
    return fetch(text.api, {
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

  // Flatten DRF and domain errors to {field: message}.
  function errorsOf(body) {
    var out = {};
    Object.keys(body || {}).forEach(function (key) {
      var v = body[key];
      if (key === "code") return;
      if (Array.isArray(v)) out[key] = v.join(" ");
      else if (v && typeof v === "object") {
        Object.keys(v).forEach(function (sub) {
          out[key + "." + sub] = [].concat(v[sub]).join(" ");
        });
      } else if (typeof v === "string") out[key] = v;
    });
    return out;
  }

  function setError(name, message) {
    var el = form.querySelector('[data-error-for="' + name.replace(".", "_") + '"]');
    if (el) el.textContent = message;
    return !!el;
  }

  // --- The outbox panel ----------------------------------------------------------------------
  var panel = document.getElementById("outbox");
  var sentPanel = document.getElementById("sent");

  function render(items, note) {
    var list = document.getElementById("outbox-list");
    list.textContent = "";
    var waiting = items.filter(function (i) { return !i.error; }).length;
    document.getElementById("outbox-summary").textContent =
      note || (waiting ? text.textQueued.replace("%(n)s", waiting) : "");
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.textContent = new Date(item.created).toLocaleString() + " · " + item.summary;
      if (item.error) {
        var err = document.createElement("span");
        err.className = "error";
        err.textContent = " " + text.textFailed + ": " + item.error;
        li.appendChild(err);
        li.appendChild(button(text.textEdit, function () { restore(item); }));
        li.appendChild(button(text.textDiscard, function () {
          outbox.remove(item.key).then(refresh);
        }));
      }
      list.appendChild(li);
    });
    panel.hidden = items.length === 0;
  }

  function button(label, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "button";
    b.textContent = label;
    b.addEventListener("click", onClick);
    return b;
  }

  function refresh(note) {
    return outbox.all().then(function (items) { render(items, note); });
  }

  function showSent(body) {
    var code = body.tracking_code || "";
    sentPanel.textContent = text.textSent + " ";
    var strong = document.createElement("strong");
    strong.textContent = code.slice(0, 5) + "-" + code.slice(5);
    sentPanel.appendChild(strong);
    sentPanel.appendChild(document.createTextNode(" "));
    var link = document.createElement("a");
    link.href = text.detailUrl.replace("/0/", "/" + body.id + "/");
    link.textContent = text.textView;
    sentPanel.appendChild(link);
    sentPanel.hidden = false;
    sentPanel.scrollIntoView({ behavior: "smooth", block: "start" });
  }

  // Put a refused submission back in the form, with the same key, to fix and send again.
  function restore(item, errors) {
    var map = {};
    item.fields.forEach(function (pair) { map[pair[0]] = pair[1]; });
    ["channel", "unit", "description", "visit", "latitude", "longitude", "id_number", "answer"]
      .forEach(function (name) { if (form.elements[name]) form.elements[name].value = map[name] || ""; });
    ["name", "phone", "address"].forEach(function (name) {
      form.elements["resident_" + name].value = map["resident." + name] || "";
    });
    var urgency = form.querySelector('[name=urgency][value="' + (map.urgency || "normal") + '"]');
    if (urgency) urgency.checked = true;
    selectCategory(chips.filter(function (c) { return c.dataset.id === map.category; })[0]);
    if (map.id_number) idField.hidden = false;
    if (item.files && item.files.length && window.DataTransfer) {
      var dt = new DataTransfer();
      item.files.forEach(function (f) { dt.items.add(f); });
      photos.files = dt.files;
    }
    form.elements.idempotency_key.value = item.key;
    errors = errors || { detail: item.error };
    var fields = Object.keys(errors).filter(function (k) { return k !== "detail"; });
    if (!fields.length) fields = ["detail"];
    fields.forEach(function (field) {
      if (!setError(field, errors[field])) setError("form", errors[field]);
    });
    return outbox.remove(item.key).then(function () { refresh(); });
  }

  var flushing = false;
  function flush(current) {
    if (flushing || !navigator.onLine) return refresh();
    flushing = true;
    return outbox.all().then(function (items) {
      var chain = Promise.resolve();
      items.filter(function (i) { return !i.error; }).forEach(function (item) {
        chain = chain.then(function () {
          return send(item).then(function (result) {
            if (result.status === 200 || result.status === 201) {
              if (item.key === current) showSent(result.body);
              return outbox.remove(item.key);
            }
            if (result.status === 401 || result.status === 403) {
              throw { signin: true };
            }
            if (result.status >= 400 && result.status < 500 && result.status !== 429) {
              var errors = errorsOf(result.body);
              if (item.key === current) return restore(item, errors);
              item.error = result.body.detail || Object.keys(errors).map(function (k) {
                return errors[k];
              }).join(" ");
              return outbox.put(item);
            }
            throw { retry: true };
          });
        });
      });
      return chain;
    }).then(function () { flushing = false; return refresh(); }, function (problem) {
      flushing = false;
      return refresh(problem && problem.signin ? text.textSignin : undefined);
    });
  }

  function clearForm() {
    ["description", "answer", "id_number", "resident_name", "resident_phone", "resident_address",
      "latitude", "longitude"].forEach(function (name) { form.elements[name].value = ""; });
    photos.value = "";
    document.getElementById("photo-count").textContent = "";
    document.getElementById("resident-hint").textContent = "";
    document.getElementById("location-status").textContent = "";
    form.querySelectorAll("[data-error-for]").forEach(function (el) { el.textContent = ""; });
    selectCategory(null);
    search.value = "";
    search.dispatchEvent(new Event("input"));
    form.elements.idempotency_key.value = uuid4();
  }

  if (!window.indexedDB || !window.fetch || !window.Promise) return; // plain form post

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!value("category")) {
      setError("category", text.textCategory);
      search.focus();
      return;
    }
    var submitter = event.submitter;
    buildItem(submitter).then(function (item) {
      return outbox.put(item).then(function () {
        sentPanel.hidden = true;
        clearForm();
        window.scrollTo({ top: 0, behavior: "smooth" });
        return flush(item.key);
      });
    }).catch(function () {
      // No usable IndexedDB (private mode): post the form the plain way, with the button's
      // value, which a programmatic submit would lose.
      if (submitter && submitter.name) {
        var hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = submitter.name;
        hidden.value = submitter.value;
        form.appendChild(hidden);
      }
      HTMLFormElement.prototype.submit.call(form);
    });
  });

  window.addEventListener("online", function () { flush(); });
  setInterval(function () { if (navigator.onLine) flush(); }, 30000);
  flush();

  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register(text.sw, { scope: text.scope }).catch(function () {});
  }
})();
