/* Minqing intake: category search, resident look-up, location, and the offline outbox.
 *
 * A submission is checked here first (the error next to its field, in view), then put in the
 * device's outbox (static/js/outbox.js) with a UUID made here, and sent to the API with that
 * UUID as its Idempotency-Key. Sent: the tracking code is shown big, with a QR code, and kept
 * in this device's "sent" history. Refused: the form keeps everything typed and the photos, and
 * the field at fault is shown. No network: it waits in the outbox and is sent when the tablet
 * is back online (its code then shows wherever the worker is); a resend of something the server
 * already has answers with the first response, so nothing is ever created twice.
 * Without JavaScript or IndexedDB the form posts as a plain HTML form.
 */
(function () {
  "use strict";

  var form = document.getElementById("intake-form");
  if (!form) return;
  var text = form.dataset;
  var box = window.MinqingOutbox;
  var uuid4 = box ? box.uuid4 : function () { return form.elements.idempotency_key.value; };

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
  /* The chosen photos stay in sight: each one's name and a small thumbnail (a data: URL, which
   * the CSP allows; blob: URLs it does not). */
  function showPhotos() {
    var list = document.getElementById("photo-count");
    list.textContent = "";
    Array.prototype.forEach.call(photos.files, function (file) {
      var item = document.createElement("span");
      item.className = "photo-chosen";
      var img = document.createElement("img");
      img.alt = "";
      img.width = 64;
      img.height = 64;
      item.appendChild(img);
      item.appendChild(document.createTextNode(file.name));
      list.appendChild(item);
      thumbnail(file).then(function (url) { if (url) img.src = url; else img.remove(); });
    });
  }
  function thumbnail(file) {
    if (!window.createImageBitmap || !/^image\//.test(file.type)) return Promise.resolve("");
    return createImageBitmap(file).then(function (bitmap) {
      var scale = 128 / Math.max(bitmap.width, bitmap.height);
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return canvas.toDataURL("image/jpeg", 0.7);
    }).catch(function () { return ""; });
  }
  photos.addEventListener("change", function () { setError("photos", ""); showPhotos(); });
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

  // --- Building one submission -----------------------------------------------------------------
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
    var outcome = outcomeOf(submitter);
    if (submitter && submitter.name === "merge_into") fields.push(["merge_into", submitter.value]);
    if (outcome) fields.push(["outcome", outcome]);
    if (outcome === "answer_on_spot") fields.push(["answer", value("answer")]);
    return Promise.all(Array.prototype.map.call(photos.files, shrink)).then(function (files) {
      return {
        key: value("idempotency_key"),
        kind: "request",
        url: text.api,
        fields: fields,
        files: files.map(function (f) { return ["photos", f]; }),
        summary: value("description").slice(0, 40),
      };
    });
  }

  function outcomeOf(submitter) {
    if (submitter && submitter.name === "merge_into") return "merge";
    return submitter && submitter.name === "outcome" ? submitter.value : "";
  }

  // --- Errors: next to the field, and the field in view below the sticky header -------------
  var FOCUS = { category: "category-search", "resident.phone": "id_resident_phone",
    "resident.name": "id_resident_name", "resident.address": "id_resident_address" };

  function setError(name, message) {
    var el = form.querySelector('[data-error-for="' + name.replace(".", "_") + '"]');
    if (el) el.textContent = message;
    return !!el;
  }

  function clearErrors() {
    form.querySelectorAll("[data-error-for]").forEach(function (el) { el.textContent = ""; });
  }

  /* Show {field: message}; focus the first field at fault and scroll it into view (its
   * scroll-margin-top keeps it below the sticky header). */
  function showErrors(errors) {
    clearErrors();
    var first = null;
    Object.keys(errors).forEach(function (field) {
      var shown = field !== "detail" && setError(field, errors[field]);
      if (!shown) setError("form", errors[field]);
      var target = shown
        ? document.getElementById(FOCUS[field] || "") || form.elements[field.replace(".", "_")]
        : form.querySelector('[data-error-for="form"]');
      if (target && target.length && !target.tagName) target = target[0];
      if (!first && target) first = target;
    });
    if (first) {
      if (first.focus) first.focus({ preventScroll: true });
      first.scrollIntoView({ behavior: "smooth", block: "center" });
    }
  }

  /* What the server would refuse, said before sending. */
  function check(submitter) {
    var errors = {};
    var required = text.textRequired;
    if (!value("category")) errors.category = text.textCategory;
    if (!value("unit")) errors.unit = required;
    if (!value("description")) errors.description = required;
    if (outcomeOf(submitter) === "answer_on_spot" && !value("answer")) errors.answer = text.textAnswer;
    return errors;
  }

  // --- The outbox panel: this page's requests still waiting, and those refused -------------
  var panel = document.getElementById("outbox");
  var sentPanel = document.getElementById("sent");
  var note = "";
  var inFlight = null; // the submission being sent now: not "waiting" unless sending fails

  function render(items) {
    items = items.filter(function (i) { return i.kind === "request" && i.key !== inFlight; });
    var list = document.getElementById("outbox-list");
    list.textContent = "";
    var waiting = items.filter(function (i) { return i.state === "waiting"; }).length;
    document.getElementById("outbox-summary").textContent =
      note || (waiting ? text.textQueued.replace("%(n)s", waiting) : "");
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.textContent = new Date(item.created).toLocaleString() + " · " + item.summary;
      if (item.state === "refused") {
        var err = document.createElement("span");
        err.className = "error";
        err.textContent = " " + text.textFailed + ": " + item.error;
        li.appendChild(err);
        li.appendChild(button(text.textEdit, function () { restore(item); }));
        li.appendChild(button(text.textDiscard, function () { box.remove(item.key); }));
      }
      list.appendChild(li);
    });
    panel.hidden = items.length === 0 && !note;
  }

  function button(label, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "button";
    b.textContent = label;
    b.addEventListener("click", onClick);
    return b;
  }

  function refresh() {
    return box.mine().then(render);
  }

  // --- The tracking code, where the eyes are, and the "sent" history -------------------------
  function showSent(body) {
    sentPanel.textContent = "";
    sentPanel.appendChild(box.MinqingCodeCard(body));
    sentPanel.hidden = false;
    sentPanel.scrollIntoView({ behavior: "smooth", block: "start" });
    sentPanel.focus({ preventScroll: true });
    drawHistory();
  }

  function drawHistory() {
    var section = document.getElementById("sent-history");
    var list = document.getElementById("sent-history-list");
    if (!section || !box) return;
    var entries = box.sentHistory();
    list.textContent = "";
    entries.forEach(function (entry) {
      var li = document.createElement("li");
      var code = box.trackingCode(entry.code);
      var a = document.createElement("a");
      a.href = text.detailUrl.replace("/0/", "/" + entry.id + "/");
      a.className = "tracking-code";
      a.textContent = code;
      li.appendChild(a);
      li.appendChild(document.createTextNode(" " + new Date(entry.at).toLocaleString() + " "));
      var qr = document.createElement("a");
      qr.href = text.qrUrl.replace("CODE", encodeURIComponent(entry.code));
      qr.textContent = text.textQr;
      li.appendChild(qr);
      list.appendChild(li);
    });
    section.hidden = entries.length === 0;
  }

  // Put a refused submission back in the form, with the same key, to fix and send again.
  function restore(item) {
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
      item.files.forEach(function (f) { dt.items.add(Array.isArray(f) ? f[1] : f); });
      photos.files = dt.files;
      showPhotos();
    }
    form.elements.idempotency_key.value = item.key;
    return box.remove(item.key).then(function () {
      showErrors(Object.keys(item.errors || {}).length ? item.errors : { detail: item.error });
    });
  }

  function clearForm() {
    ["description", "answer", "id_number", "resident_name", "resident_phone", "resident_address",
      "latitude", "longitude"].forEach(function (name) { form.elements[name].value = ""; });
    photos.value = "";
    document.getElementById("photo-count").textContent = "";
    document.getElementById("resident-hint").textContent = "";
    document.getElementById("location-status").textContent = "";
    clearErrors();
    selectCategory(null);
    search.value = "";
    search.dispatchEvent(new Event("input"));
    form.elements.idempotency_key.value = uuid4();
  }

  if (!box || !window.indexedDB || !window.fetch || !window.Promise) return; // plain form post

  // Validate first; errors are shown the same way whether found here or by the server.
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var submitter = event.submitter;
    var errors = check(submitter);
    if (Object.keys(errors).length) {
      showErrors(errors);
      return;
    }
    clearErrors();
    var busy = Array.prototype.slice.call(form.querySelectorAll(".decide-buttons button"));
    buildItem(submitter).then(function (item) {
      return box.put(item).then(function () {
        sentPanel.hidden = true;
        note = "";
        if (!navigator.onLine) {
          // Saved on the device: the form is free for the next resident.
          clearForm();
          window.scrollTo({ top: 0, behavior: "smooth" });
          return refresh();
        }
        busy.forEach(function (b) { b.disabled = true; });
        inFlight = item.key;
        box.claim(item.key); // sent now, this page shows its code; sent later, a toast does
        return box.flush().then(function (outcomes) {
          inFlight = null;
          box.claim(item.key, false);
          var outcome = outcomes[item.key];
          if (outcome === "sent") return; // the "minqing:sent" listener shows the code
          if (outcome === "refused") {
            // The form still holds everything typed and the photos: show what to fix.
            var refused = refusals[item.key] || {};
            delete refusals[item.key];
            return box.remove(item.key).then(function () {
              showErrors(Object.keys(refused.errors || {}).length
                ? refused.errors : { detail: refused.error || text.textFailed });
            });
          }
          // No network after all, or signed out: it waits in the outbox.
          clearForm();
          if (outcome === "signin") note = text.textSignin;
          window.scrollTo({ top: 0, behavior: "smooth" });
          return refresh().then(function () { panel.scrollIntoView({ block: "start" }); });
        });
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
    }).then(function () {
      busy.forEach(function (b) { b.disabled = false; });
    });
  });

  window.addEventListener("minqing:sent", function (event) {
    var detail = event.detail;
    if (detail.item.kind !== "request") return;
    if (detail.claimed) {
      clearForm();
      showSent(detail.body);
    } else {
      drawHistory();
    }
  });
  var refusals = {};
  window.addEventListener("minqing:refused", function (event) {
    var detail = event.detail;
    if (detail.item.kind !== "request") return;
    // Refused now: the submit handler shows it on the form. Made earlier (offline): it stays
    // in the panel with "Edit" and "Discard".
    if (detail.claimed) refusals[detail.item.key] = detail.item;
    else refresh();
  });
  window.addEventListener("minqing:outbox", refresh);
  refresh();
  drawHistory();
})();
