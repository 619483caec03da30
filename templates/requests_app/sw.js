/* Minqing's old intake-only service worker (scope /requests/), retired: the site's one service
 * worker is /sw.js, for every page. A tablet that still has this one installed gets this text
 * on its next update check: it deletes its cache and unregisters, so /sw.js takes over. */
"use strict";
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.delete("minqing-intake-v1")
      .then(() => self.registration.unregister())
      .then(() => self.clients.matchAll({ type: "window" }))
      .then((windows) => windows.forEach((w) => w.navigate(w.url)))
  );
});
