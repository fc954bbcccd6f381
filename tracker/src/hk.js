// hk.js, the HitKeep tracker. Pasted into every page a site owner has, so it stays small (the build fails
// over 2 KB minified or 1 KB gzipped), sets no cookie and never breaks the page it is on.
//
//   <script defer src="https://stats.example.com/hk.js"></script>
//
// Options are data- attributes of that script tag; the README lists them all.
((w, d) => {
  var script = d.currentScript;
  var nav = navigator;
  var loc = w.location;
  var options = script.dataset; // data-allow-localhost is options.allowLocalhost
  // The origin the script came from, so one snippet works for any HitKeep address.
  var api = options.api || new URL(script.src).origin;
  var lastUrl; // the page being viewed, as its pageview sent it
  var skip;
  var engaged; // ms the current page view has been visible, up to `shown`
  var shown; // when the page was last shown; 0 while it is hidden

  // A string body goes out as text/plain, a "simple" request: no CORS preflight. sendBeacon survives the
  // page being left (outbound and download clicks); fetch with keepalive covers a refused beacon (over the
  // browser's beacon quota, or blocked). Every browser that runs ES2017 has sendBeacon. A failed fetch is
  // only logged by the browser: nothing to do about it here.
  var send = (path, body) => {
    if (skip) return;
    body.url = lastUrl; // an event, or the time on page, goes with the page it happened on
    // Session id in sessionStorage ("id.lastSeen"): per tab, gone when the tab closes, never a cookie.
    // After 30 minutes without a hit the next one starts a new session, as the server would; an engagement
    // ping never does: it belongs to the page view it measures, however long that was read.
    var now = Date.now();
    try {
      var [id, seen] = ('' + sessionStorage.hk_sid).split('.');
      if (!(now - seen < 18e5 || body.engaged_ms && seen)) id = ('' + Math.random()).slice(2); // about 16 random digits
      sessionStorage.hk_sid = id + '.' + now;
      body.session_id = id;
    } catch (e) { /* storage blocked: the server falls back to its own 30-minute rule */ }
    var data = JSON.stringify(body);
    if (!nav.sendBeacon(path = api + path, data)) {
      fetch(path, { method: 'POST', body: data, keepalive: true });
    }
  };

  var pageview = () => {
    // data-hash: hash routes become paths (/#/about is /about, /app#/users?x=1 is /app/users?x=1): the server keeps
    // the path and drops the fragment.
    var url = 'hash' in options ? loc.href.replace(/\/?#\/?/, '/') : loc.href.split('#')[0];
    if (url == lastUrl) return; // replaceState, a repeated pushState or a hash jump on the same page
    engagement(); // the time on the page being left, sent with that page's URL
    lastUrl = url;
    engaged = 0;
    send('/ingest', { referrer: d.referrer, lang: nav.language, vp_w: w.innerWidth });
  };

  // Time on page, so a one-page visit has a duration and is not just a bounce. Sent when the page is
  // hidden (tab switched or closed, navigated away, phone locked: the last moment a browser reliably runs
  // code, which covers pagehide), and before an SPA route change counts the next page. The ping carries the
  // page view's total visible time; the server keeps the time of the last one.
  var engagement = () => {
    var now = Date.now();
    // Only if visible since the last call (a hidden page's time was sent when it was hidden), never 0 ms.
    if (shown && (engaged += now - shown) > 0) send('/ingest/engagement', { engaged_ms: engaged });
    shown = !d.hidden && now;
  };

  var event = (name, props) => send('/ingest/event', { name, props });

  var click = (e) => {
    // A middle click (auxclick) opens a link too, a right click does not.
    var el = e.button < 2 && e.target.closest('[data-hk-event],a[href]');
    if (!el) return;
    var name = el.dataset.hkEvent;
    if (name) {
      var props = {};
      for (var attribute of el.attributes) {
        if (!attribute.name.indexOf('data-hk-prop-')) props[attribute.name.slice(13)] = attribute.value;
      }
      return event(name, props);
    }
    // No preventDefault: the beacon is queued by the browser and outlives the navigation.
    name = /^http/.test(el.protocol) && el.host != loc.host ? 'Outbound Link: Click'
      : /\.(pdf|docx?|xlsx?|pptx?|csv|txt|zip|rar|7z|gz|dmg|exe|msi|apk|iso|mp[34])$/i.test(el.pathname) && 'File Download';
    if (name) event(name, { url: el.href });
  };

  var start = () => {
    // A skipped visitor sends nothing (see send) but still gets hk.event, so pages that call it keep working.
    try {
      skip = localStorage.hk_ignore; // the owner's own browser: localStorage.hk_ignore = 1
    } catch (e) { /* storage blocked: not an opt-out */ }
    // The gateway drops hits sent with a DNT (or Sec-GPC) header as well; skipping here saves the request.
    // A developer's machine is not a visitor; a file: URL has an empty host name.
    skip = skip || !('collectDnt' in options) && nav.doNotTrack == 1
      || !('allowLocalhost' in options) && /^(localhost|127\..*|\[::1])?$/.test(loc.hostname);
    pageview();
    // Calls made before this script ran: window.hk.q, filled by the stub in the README.
    ((w.hk && w.hk.q) || []).forEach((args) => event(...args));
    w.hk = { event: event };
    // Single-page apps: wrap the history methods, so every route change is a pageview.
    ['pushState', 'replaceState'].forEach((method) => {
      var original = history[method];
      // history is their only `this`, and both return undefined: there is no result to pass on.
      history[method] = (...args) => {
        original.apply(history, args);
        pageview();
      };
    });
    d.addEventListener('visibilitychange', engagement);
    // The back button, and with data-hash a hash change too: popstate fires for every fragment navigation
    // (a #link, location.hash =, back), so no hashchange listener is needed.
    w.addEventListener('popstate', pageview);
    d.addEventListener('click', click, true);
    d.addEventListener('auxclick', click, true);
  };

  // A prerendered page may never be seen: count it when it is shown.
  if (d.prerendering) d.addEventListener('prerenderingchange', start);
  else start();
})(window, document);
