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
  var hashRoutes = 'hash' in options;
  var lastUrl;
  var skip;

  var ignored = () => {
    try {
      if (localStorage.hk_ignore) return 1; // the owner's own browser: localStorage.hk_ignore = 1
    } catch (e) { /* storage blocked: not an opt-out */ }
    // The gateway drops hits sent with a DNT (or Sec-GPC) header as well; skipping here saves the request.
    // A developer's machine is not a visitor; a file: URL has an empty host name.
    return !('collectDnt' in options) && nav.doNotTrack == 1
      || !('allowLocalhost' in options) && /^(localhost|127\..*|\[::1\])?$/.test(loc.hostname);
  };

  // Session id in sessionStorage ("id.lastSeen"): per tab, gone when the tab closes, never a cookie.
  // After 30 minutes without a hit the next one starts a new session, as the server would.
  var sessionId = () => {
    var now = Date.now();
    try {
      var [id, seen] = ('' + sessionStorage.hk_sid).split('.');
      if (!(now - seen < 18e5)) id = ('' + Math.random()).slice(2); // about 16 random digits
      sessionStorage.hk_sid = id + '.' + now;
      return id;
    } catch (e) { /* storage blocked: the server falls back to its own 30-minute rule */ }
  };

  // Hash routes become paths (/#/about is /about, /app#/users?x=1 is /app/users?x=1): the server keeps
  // the path and drops the fragment.
  var pageUrl = () => hashRoutes ? loc.href.replace(/\/?#\/?/, '/') : loc.href.split('#')[0];

  // A string body goes out as text/plain, a "simple" request: no CORS preflight. sendBeacon survives the
  // page being left (outbound and download clicks); fetch with keepalive covers a refused beacon (over the
  // browser's beacon quota, or blocked). Every browser that runs ES2017 has sendBeacon. A failed fetch is
  // only logged by the browser: nothing to do about it here.
  var send = (path, body) => {
    if (skip) return;
    body.url = pageUrl();
    body.session_id = sessionId();
    var data = JSON.stringify(body);
    var url = api + path;
    if (!nav.sendBeacon(url, data)) {
      fetch(url, { method: 'POST', body: data, keepalive: true });
    }
  };

  var pageview = () => {
    var url = pageUrl();
    if (url == lastUrl) return; // replaceState, a repeated pushState or a hash jump on the same page
    lastUrl = url;
    send('/ingest', { referrer: d.referrer, lang: nav.language, vp_w: w.innerWidth });
  };

  var event = (name, props) => send('/ingest/event', { name, props });

  var click = (e) => {
    if (e.button > 1) return; // auxclick: a middle click opens a link too, a right click does not
    var el = e.target.closest('[data-hk-event],a[href]');
    if (!el) return;
    var name = el.getAttribute('data-hk-event');
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
    skip = ignored(); // still installs hk.event, so pages that call it keep working
    var queued = (w.hk && w.hk.q) || [];
    w.hk = { event: event };
    pageview();
    // Calls made before this script ran: window.hk.q, filled by the stub in the README.
    queued.forEach((args) => event(...args));
    // Single-page apps: wrap the history methods, so every route change is a pageview.
    ['pushState', 'replaceState'].forEach((method) => {
      var original = history[method];
      history[method] = function () {
        var result = original.apply(this, arguments);
        pageview();
        return result;
      };
    });
    w.addEventListener('popstate', pageview);
    if (hashRoutes) w.addEventListener('hashchange', pageview);
    ['click', 'auxclick'].forEach((type) => d.addEventListener(type, click, true));
  };

  // A prerendered page may never be seen: count it when it is shown.
  if (d.prerendering) d.addEventListener('prerenderingchange', start);
  else start();
})(window, document);
