/* The public door (templates/selfservice/door.html): the form's steps as the resident types.
 *
 * Without this script the form still works (the place search is a button of the form, the
 * category a plain list, similar requests are offered when it is sent). With it, through the
 * public API (/api/v1/public/…, no session, no personal data in the answers):
 *  - the place list follows what is typed in the search box;
 *  - categories are suggested from the text; a tap picks one in the list;
 *  - open requests nearby that read alike are offered with "this is my problem too" buttons,
 *    and once they were shown, the main button means "mine is different" (new_anyway);
 *  - more than the allowed photos are refused before sending;
 *  - when the page asks for the check, the ALTCHA widget (static/vendor/altcha/) is made here,
 *    after its proof-of-work worker is registered (the CSP allows only our own files).
 * Loaded as a module, after the widget's own script.
 */
const form = document.querySelector("[data-door]");

function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

async function getJSON(url) {
  try {
    const answer = await fetch(url, { headers: { Accept: "application/json" }, credentials: "omit" });
    return answer.ok ? await answer.json() : null;
  } catch (e) {
    return null;
  }
}

async function postJSON(url, body) {
  try {
    const answer = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      credentials: "omit",
      body: JSON.stringify(body),
    });
    return answer.ok ? await answer.json() : null;
  } catch (e) {
    return null;
  }
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (name === "text") node.textContent = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

if (form) {
  const text = form.dataset;
  const q = form.querySelector("#door-q");
  const places = form.querySelector("[data-places]");
  const description = form.querySelector("[data-description]");
  const category = form.querySelector("[data-category]");
  const suggestions = form.querySelector("[data-suggestions]");
  const similar = form.querySelector("[data-similar]");
  const photos = form.querySelector("[data-photos]");
  const photosError = form.querySelector("[data-photos-error]");
  const submit = form.querySelector("[data-submit]");

  const chosenPlace = () => {
    const checked = form.querySelector("input[name=place]:checked");
    return checked ? Number(checked.value) : null;
  };

  // --- Where: the place list follows the search box ------------------------------------------
  function placeLabel(p) {
    const around = [p.community, p.town].filter(Boolean).join("，");
    return around ? `${p.name}（${around}）` : p.name;
  }

  async function searchPlaces() {
    const term = q.value.trim();
    const keep = form.querySelector("input[name=place]:checked");
    const kept = keep ? keep.closest("label") : null;
    if (!term) return;
    places.setAttribute("aria-busy", "true");
    const found = await getJSON(`${text.placesUrl}?${new URLSearchParams({ q: term })}`);
    places.removeAttribute("aria-busy");
    if (found === null) return;
    places.replaceChildren();
    if (kept) places.append(kept);
    for (const p of found) {
      if (keep && Number(keep.value) === p.id) continue;
      const input = el("input", { type: "radio", name: "place", value: String(p.id) });
      places.append(el("label", { class: "choice" }, input, ` ${placeLabel(p)}`));
    }
    if (!found.length) places.append(el("p", { class: "muted", text: text.textNone }));
  }

  const searchSoon = debounce(searchPlaces, 250);
  q.addEventListener("input", searchSoon);
  q.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      searchPlaces();
    }
  });
  form.querySelector("[data-search-button]").addEventListener("click", (event) => {
    event.preventDefault();
    searchPlaces();
  });

  // --- What: suggested categories ---------------------------------------------------------------
  async function suggest() {
    const words = description.value.trim();
    if (words.length < 6) {
      suggestions.hidden = true;
      return;
    }
    const found = await postJSON(text.suggestUrl, { description: words, place: chosenPlace() });
    if (!found || !found.categories.length) {
      suggestions.hidden = true;
      return;
    }
    suggestions.replaceChildren(el("span", { class: "door-suggested", text: text.textSuggested }));
    for (const c of found.categories) {
      const chip = el("button", {
        type: "button",
        class: "button door-chip",
        "aria-pressed": String(category.value === String(c.id)),
        text: c.name,
      });
      chip.addEventListener("click", () => {
        category.value = String(c.id);
        for (const other of suggestions.querySelectorAll(".door-chip")) {
          other.setAttribute("aria-pressed", String(other === chip));
        }
      });
      suggestions.append(chip);
    }
    suggestions.hidden = false;
  }

  // --- Similar open requests nearby -------------------------------------------------------------
  let offered = null;

  async function lookForSimilar() {
    const place = chosenPlace();
    const words = description.value.trim();
    if (!place || words.length < 6) return;
    const found = await postJSON(text.duplicatesUrl, { place, description: words });
    if (found === null) return;
    similar.replaceChildren();
    if (offered) offered.remove();
    offered = null;
    if (!found.length) {
      similar.hidden = true;
      return;
    }
    const list = el("ul", { class: "plain door-candidates" });
    for (const c of found) {
      list.append(
        el(
          "li",
          {},
          el(
            "p",
            { class: "door-candidate-head" },
            el("strong", { text: c.category }),
            ` · ${c.place} · ${c.reported_on}`,
          ),
          el("p", { text: c.excerpt }),
          el("p", { class: "muted", text: `${c.stage} · ${text.textResidents.replace("{n}", c.residents)}` }),
          el("button", { class: "button ok", name: "voice", value: c.candidate, text: text.textVoice }),
        ),
      );
    }
    similar.append(
      el("h2", { text: text.textSimilar }),
      el("p", { text: text.textSimilarHelp }),
      list,
    );
    similar.hidden = false;
    // The resident has seen them: the main button now sends theirs as a new one.
    offered = el("input", { type: "hidden", name: "new_anyway", value: "1" });
    form.append(offered);
  }

  const afterTyping = debounce(() => {
    suggest();
    lookForSimilar();
  }, 700);
  description.addEventListener("input", afterTyping);
  places.addEventListener("change", () => {
    suggest();
    lookForSimilar();
  });

  // --- Photos -----------------------------------------------------------------------------------
  const maxPhotos = Number(text.maxPhotos);
  function photosOk() {
    const tooMany = photos.files.length > maxPhotos;
    photos.setCustomValidity(tooMany ? text.textTooManyPhotos : "");
    photosError.textContent = tooMany ? text.textTooManyPhotos : "";
    photosError.hidden = !tooMany;
    return !tooMany;
  }
  photos.addEventListener("change", photosOk);

  // --- The check (ALTCHA), when the page asks for it --------------------------------------------
  const slot = form.querySelector("[data-altcha]");
  let widget = null;
  if (slot && globalThis.$altcha) {
    const worker = slot.dataset.workerUrl;
    for (const algorithm of ["PBKDF2/SHA-256", "PBKDF2/SHA-384", "PBKDF2/SHA-512"]) {
      globalThis.$altcha.algorithms.set(algorithm, () => new Worker(worker));
    }
    widget = el("altcha-widget", {
      challenge: slot.dataset.challengeUrl,
      name: "altcha",
      auto: "onload",
      language: slot.dataset.language,
      configuration: JSON.stringify({ hideFooter: true }),
    });
    slot.append(widget);
  }

  // --- Sending ------------------------------------------------------------------------------------
  const verified = () => !widget || !widget.getState || widget.getState() === "verified";

  form.addEventListener("submit", (event) => {
    const pressed = event.submitter ? event.submitter.name : "";
    if (pressed === "action") return;
    if (pressed !== "voice" && !photosOk()) {
      event.preventDefault();
      photos.focus();
      return;
    }
    if (!verified()) {
      // Send once the check is done (the widget shows its progress and any failure).
      event.preventDefault();
      widget.verify().then(() => {
        if (verified()) form.requestSubmit(event.submitter || undefined);
      });
      return;
    }
    // After the browser has read the pressed button's name and value.
    setTimeout(() => {
      submit.disabled = true;
      submit.textContent = text.textSending;
    }, 0);
  });
}
