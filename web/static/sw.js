/* The app's service worker: the shell (styles, scripts, icons) from the cache, and the inbox
 * (/tasks/) from the network, kept as a copy to show with an "offline" banner when the network
 * is gone. The copy is personal: it is dropped on logout. */
"use strict";
var SHELL = "fw-shell-v1";
var INBOX = "fw-inbox-v1";
var INBOX_PATH = "/tasks/";
var SHELL_FILES = ["/static/app.css", "/static/app.js", "/static/task_form.js",
                   "/static/icons/icon-192.png", "/static/icons/icon-512.png"];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL).then(function (cache) { return cache.addAll(SHELL_FILES); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n !== SHELL && n !== INBOX; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

function offlineInbox() {
  return caches.open(INBOX).then(function (cache) { return cache.match(INBOX_PATH); })
    .then(function (saved) {
      if (!saved) return Response.error();
      return saved.text().then(function (html) {
        // Show the banner the page carries hidden: this is an old copy.
        html = html.replace('id="offline-banner" role="status" hidden', 'id="offline-banner" role="status"');
        return new Response(html, {headers: {"Content-Type": "text/html; charset=utf-8"}});
      });
    });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === "/auth/logout") {
    event.waitUntil(caches.delete(INBOX));
    return;
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).then(function (response) {
      if (url.pathname === INBOX_PATH && response.ok && !response.redirected) {
        var copy = response.clone();
        caches.open(INBOX).then(function (cache) { cache.put(INBOX_PATH, copy); });
      }
      return response;
    }).catch(offlineInbox));
    return;
  }
  if (url.pathname.indexOf("/static/") === 0) {
    // Network first, so a new stylesheet is never hidden behind an old copy.
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(SHELL).then(function (cache) { cache.put(url.pathname, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(url.pathname).then(function (hit) { return hit || Response.error(); });
    }));
  }
});
