// Cross-origin isolation on a static host: registers coi-sw.js (which adds the COOP/COEP
// headers to this site's responses) and reloads once when it first takes control, so the
// threaded build can run. Leaves `globalThis.dasklingIsolation = {via, reason}` for the
// page's status line: `via` says how the page is isolated ('headers' or 'service
// worker'), `reason` why it is not; a `daskling-isolation` event on window tells when the
// reason changes. A classic script, run before the page's modules.
(() => {
  const state = { via: null, reason: null };
  globalThis.dasklingIsolation = state;
  const because = (reason) => {
    state.reason = reason;
    window.dispatchEvent(new Event('daskling-isolation'));
  };
  const sw = 'serviceWorker' in navigator ? navigator.serviceWorker : null;
  const RELOADED = 'daskling-coi-reloaded';
  if (globalThis.crossOriginIsolated) {
    state.via = sw?.controller ? 'service worker' : 'headers';
    sessionStorage.removeItem(RELOADED);
    return;
  }
  if (!window.isSecureContext) {
    because('the page is not served over https or from localhost, so no service worker may isolate it');
    return;
  }
  if (!sw) {
    because('this browser offers no service workers here (a private window, or a policy), so nothing can add the isolation headers');
    return;
  }
  const url = new URL('coi-sw.js', document.currentScript.src);
  sw.register(url).then(
    () => {
      if (sessionStorage.getItem(RELOADED)) {
        because('the isolation service worker is installed, but the page is still not isolated after a reload');
        return;
      }
      because('installing the isolation service worker; the page reloads once');
      const late = setTimeout(() => because('the isolation service worker did not start (are service workers blocked here?)'), 3000);
      sw.ready.then(() => {
        clearTimeout(late);
        sessionStorage.setItem(RELOADED, '1');
        location.reload();
      });
    },
    (e) => because(`the isolation service worker could not be registered (${e.message})`),
  );
})();
