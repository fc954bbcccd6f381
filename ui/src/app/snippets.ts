// The lines to change in another tool's snippet so that it sends to this server instead (Plausible's
// /api/event, Umami's /api/send, GoatCounter's /count): shown per site on its settings page. Pure, no
// Angular, for node --test.

/** One line of an existing snippet and what it becomes. */
export interface ChangedLine {
  was: string;
  now: string;
}

export interface Migration {
  tool: 'Plausible' | 'Umami' | 'GoatCounter';
  lines: ChangedLine[];
  /** how that tool's hits find this site here */
  note: string;
}

/** A UUID as Umami shows a website id (the server checks it too). */
export function isUmamiWebsiteId(text: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text.trim());
}

/** A site code as GoatCounter accepts one: 2 to 50 letters, digits and dashes (stored in lower case; the server checks it too). */
export function isGoatCounterCode(text: string): boolean {
  return /^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])$/i.test(text.trim());
}

/**
 * The server's origin with the code as its first host label: https://stats.example.com becomes
 * https://CODE.stats.example.com. Empty for a server reached by IP address, which has no such name.
 */
export function codeHost(server: string, code: string): string {
  const url = new URL(server);
  const named = `${code.toLowerCase()}.${url.hostname}`;
  url.hostname = named;
  // the URL keeps an IP address when given a name that ends in a number
  return url.hostname === named ? url.origin : '';
}

/**
 * The snippets' lines for a site of `domain` on the server at `server` (an origin such as
 * https://stats.example.com); `umamiWebsiteId` and `goatCounterCode` are the site's settings, empty when it has none.
 */
export function migrations(server: string, domain: string, umamiWebsiteId: string, goatCounterCode = ''): Migration[] {
  const base = server.replace(/\/+$/, '');
  const website = umamiWebsiteId.trim() || 'YOUR-WEBSITE-ID';
  const code = goatCounterCode.trim();
  const countBase = (code && codeHost(base, code)) || base;
  const plausibleScript = 'https://plausible.io/js/script.js';
  const umamiScript = 'https://cloud.umami.is/script.js';
  return [
    {
      tool: 'Plausible',
      lines: [
        {
          was: `<script defer data-domain="${domain}" src="${plausibleScript}"></script>`,
          now: `<script defer data-domain="${domain}" data-api="${base}/api/event" src="${plausibleScript}"></script>`,
        },
        { was: 'plausible.init()', now: `plausible.init({ endpoint: "${base}/api/event" })` },
        { was: `init({ domain: "${domain}" })`, now: `init({ domain: "${domain}", endpoint: "${base}/api/event" })` },
      ],
      note: `The domain the snippet names (${domain}) is this site; several, comma-separated, count the page in each of them.`,
    },
    {
      tool: 'Umami',
      lines: [{
        was: `<script defer src="${umamiScript}" data-website-id="${website}"></script>`,
        now: `<script defer src="${umamiScript}" data-website-id="${website}" data-host-url="${base}"></script>`,
      }],
      note: umamiWebsiteId.trim()
        ? `Hits of this website id count here, from ${domain} and its subdomains; others go by their page's host.`
        : `Without a website id set below, a page's host names its site (${domain} here); with one, its subdomains count here too.`,
    },
    {
      tool: 'GoatCounter',
      lines: [
        {
          was: `<script data-goatcounter="https://${code || 'MYCODE'}.goatcounter.com/count" async src="//gc.zgo.at/count.js"></script>`,
          now: `<script data-goatcounter="${countBase}/count" async src="//gc.zgo.at/count.js"></script>`,
        },
        { was: `<img src="https://${code || 'MYCODE'}.goatcounter.com/count?p=/page">`, now: `<img src="${countBase}/count?p=/page">` },
      ],
      note: code && countBase !== base
        ? `Hits sent to ${new URL(countBase).hostname} count here even without a Referer (point that name at this server, `
          + `e.g. by wildcard DNS); a page on a host other than ${domain} and its subdomains goes by its page's host.`
        : code
          ? `The code needs this server under a host name (CODE.stats.example.com), not an IP address; until then the page's host `
            + `(from the browser's Referer) names the site, so keep the default referrer policy on ${domain}.`
          : `The page's host (from the browser's Referer) names the site, so keep the default referrer policy on ${domain}, `
            + 'or set a GoatCounter code below.',
    },
  ];
}
