// sw.js — caches every asset of the page so a second visit works with the network off.
// The cache is named after a hash of the build (cmake/web.cmake fills @BUILD_HASH@): a new
// version installs a new cache and deletes the old one. Only this origin is ever fetched.
'use strict';
const CACHE = 'vramcalc-@BUILD_HASH@';
const ASSETS = ['./', 'index.html', 'index.js', 'index.wasm', 'manifest.webmanifest', 'icon.svg'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('vramcalc-') && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin) return;
  const key = req.mode === 'navigate' && (url.pathname.endsWith('/') || url.pathname.endsWith('/index.html')) ? 'index.html' : req;
  event.respondWith(caches.open(CACHE).then((cache) => cache.match(key, { ignoreSearch: true }).then((hit) => {
    if (hit) return hit;
    return fetch(req).then((res) => {
      // vramcalc.html (the offline download) and anything else of ours: cached when first fetched
      if (res.ok && res.type === 'basic') cache.put(req, res.clone());
      return res;
    });
  })));
});
