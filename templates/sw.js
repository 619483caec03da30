{% load static %}/* Minqing's service worker, for every field page (served at /sw.js, scope "/").
 *
 * - The static files every field page needs are kept at install (a versioned cache; older
 *   versions are deleted on activate).
 * - Field pages (home, new request, requests, visits, my cases, each case and request page) are
 *   fetched from the network first and kept, so the last copy opens with no connection; the
 *   case pages listed on "my cases" and the home page are kept too, at most MAX_PROACTIVE.
 * - A page never kept answers the offline page.
 * - The API is never cached: personal data stays only in the pages that show it. The pages'
 *   cache is the signed-in person's: the page script deletes it on sign-out or when someone
 *   else signs in ("clear" message); a fetch begun before a clear is never written after it;
 *   a navigation sent to the sign-in page (the session ended) clears it too; and a kept page
 *   older than KEEP_HOURS is not shown offline (a tablet left behind does not keep showing
 *   residents' requests).
 */
"use strict";
const VERSION = "VERSION";
const STATIC_CACHE = "minqing-static-" + VERSION;
const PAGES_CACHE = "minqing-pages-" + VERSION;
const OFFLINE_URL = "{% url 'offline' %}";
const PRECACHE = [
{% for url in precache %}  "{{ url|escapejs }}",
{% endfor %}  OFFLINE_URL,
  "{% url 'manifest' %}",
];
// Kept ahead of need when the worker is online, so they open offline even if not visited.
const WARM = [
  "{% url 'home' %}",
  "{% url 'requests_app:intake' %}",
  "{% url 'requests_app:list' %}",
  "{% url 'requests_app:visits' %}",
  "{% url 'case-mine' %}",
  "{% url 'outbox' %}",
];
// Pages whose case links are kept too (a handler's open cases).
const LISTS = ["{% url 'home' %}", "{% url 'case-mine' %}"];
const FIELD_PAGES = [
  /^\/$/,
  /^\/requests\/(new\/)?$/,
  /^\/requests\/\d+\/$/,
  /^\/visits\/(\d+\/)?$/,
  /^\/cases\/(mine\/)?$/,
  /^\/cases\/\d+\/$/,
  /^\/outbox\/$/,
];
const STATIC_PREFIX = "{% get_static_prefix %}";
const QR = /^\/track\/qr\/[0-9A-Za-z-]+\.svg$/;
const MAX_PAGES = 200;
const KEEP_HOURS = {{ keep_hours }};
const LOGIN_PATH = "{% url 'login' %}";
// Bumped by every clear: a page fetched before it is not kept after it.
let epoch = 0;
const MAX_PROACTIVE = 30;

function isField(url) {
  return FIELD_PAGES.some((re) => re.test(url.pathname));
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(STATIC_CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((k) => k !== STATIC_CACHE && k !== PAGES_CACHE).map((k) => caches.delete(k))
      ))
      .then(() => self.clients.claim())
      .then(() => self.clients.matchAll({ type: "window" }))
      .then((windows) => Promise.all(windows.map((w) => keep(new URL(w.url)))))
      .then(warm)
      .catch(() => {})
  );
});

/* Keep a field page fetched while ``since`` was the epoch, unless a clear came meanwhile. */
function store(request, response, since) {
  if (!response || !response.ok || response.type !== "basic" || response.redirected) return;
  if (since !== epoch) return;
  const copy = response.clone();
  return caches.open(PAGES_CACHE)
    .then((cache) => (since === epoch ? cache.put(request, copy) : undefined))
    .then(trim);
}

function clearPages() {
  epoch += 1;
  return caches.keys().then((keys) => Promise.all(
    keys.filter((k) => k.startsWith("minqing-pages-")).map((k) => caches.delete(k))
  ));
}

/* A kept page is shown offline only while it is younger than KEEP_HOURS. */
function fresh(hit) {
  if (!hit) return null;
  const date = Date.parse(hit.headers.get("Date") || "");
  if (Number.isNaN(date) || Date.now() - date > KEEP_HOURS * 3600 * 1000) return null;
  return hit;
}

function trim() {
  return caches.open(PAGES_CACHE).then((cache) => cache.keys().then((keys) => {
    const extra = keys.length - MAX_PAGES;
    return Promise.all(keys.slice(0, Math.max(extra, 0)).map((k) => cache.delete(k)));
  }));
}

function keep(url) {
  if (url.origin !== self.location.origin || !isField(url)) return Promise.resolve();
  const since = epoch;
  return fetch(url.href, { credentials: "same-origin", redirect: "follow" })
    .then((response) => Promise.resolve(store(new Request(url.href), response, since))
      .then(() => response))
    .then((response) => follow(url, response, since))
    .catch(() => {});
}

/* From a list page, keep the case pages it links to that are not kept yet. */
function follow(url, response, since) {
  if (!response || !response.ok || !LISTS.includes(url.pathname)) return Promise.resolve();
  return response.clone().text().then((html) => {
    const found = [];
    const re = /href="(\/cases\/\d+\/)"/g;
    let m;
    while ((m = re.exec(html)) && found.length < MAX_PROACTIVE) {
      if (!found.includes(m[1])) found.push(m[1]);
    }
    return caches.open(PAGES_CACHE).then((cache) => Promise.all(found.map((path) => {
      const href = new URL(path, self.location.origin).href;
      return cache.match(href).then((hit) => hit || fetch(href, { credentials: "same-origin" })
        .then((r) => store(new Request(href), r, since)).catch(() => {}));
    })));
  });
}

function warm() {
  return Promise.all(WARM.map((path) => keep(new URL(path, self.location.origin))));
}

function fromNetworkFirst(event, url) {
  const request = event.request;
  const since = epoch;
  return fetch(request)
    .then((response) => {
      if (response.redirected && new URL(response.url).pathname.startsWith(LOGIN_PATH)) {
        // The session has ended: nobody's pages stay on the device.
        event.waitUntil(clearPages().catch(() => {}));
        return response;
      }
      event.waitUntil(Promise.resolve(store(request, response, since))
        .then(() => follow(url, response, since))
        .catch(() => {}));
      return response;
    })
    // Only this very address (a filtered or later page of a list is not its first page).
    .catch(() => caches.open(PAGES_CACHE).then((cache) => cache.match(request))
      .then((hit) => fresh(hit) || caches.match(OFFLINE_URL)));
}

function staleWhileRevalidate(event) {
  const request = event.request;
  return caches.open(STATIC_CACHE).then((cache) => cache.match(request).then((hit) => {
    const fresh = fetch(request).then((response) => {
      if (response.ok) cache.put(request, response.clone());
      return response;
    });
    if (hit) {
      event.waitUntil(fresh.catch(() => {}));
      return hit;
    }
    return fresh;
  }));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/")) return; // never cached
  if (request.mode === "navigate") {
    if (isField(url)) {
      event.respondWith(fromNetworkFirst(event, url));
    } else {
      event.respondWith(fetch(request).catch(() => caches.match(OFFLINE_URL)));
    }
    return;
  }
  if (QR.test(url.pathname)) {
    // A tracking code's QR: no personal data, and it never changes.
    event.respondWith(caches.open(PAGES_CACHE).then((cache) => cache.match(request).then(
      (hit) => hit || fetch(request).then((response) => {
        if (response.ok) cache.put(request, response.clone());
        return response;
      })
    )));
    return;
  }
  if (url.pathname.startsWith(STATIC_PREFIX) || PRECACHE.includes(url.pathname)) {
    event.respondWith(staleWhileRevalidate(event));
  }
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "clear") {
    event.waitUntil(clearPages());
  } else if (data.type === "warm") {
    event.waitUntil(warm());
  } else if (data.type === "keep" && data.url) {
    event.waitUntil(keep(new URL(data.url, self.location.origin)));
  }
});
