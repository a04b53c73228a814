// A service worker that makes the workshop cross-origin isolated on any static host.
//
// Threads need SharedArrayBuffer, which a browser gives only to pages served with
// `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy:
// require-corp`. Static hosts (GitHub Pages, a bucket, `python3 -m http.server`) cannot
// set headers, so this worker adds them to the site's own responses as they pass
// through it; `coi.js` registers it and reloads the page once so the page itself comes
// through it. Only same-origin responses are touched: the site loads nothing else.

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

/** The response with the isolation headers added (opaque responses stay as they are). */
function isolated(response) {
  if (response.status === 0) return response;
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  headers.set('Cross-Origin-Resource-Policy', 'same-origin');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  // Chromium throws on these when they are not same-origin (a devtools quirk).
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  if (new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(fetch(request).then(isolated));
});
