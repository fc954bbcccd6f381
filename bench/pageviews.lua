-- wrk script: realistic tracker pageviews for POST /ingest, counted by response status.
--
--   wrk -t2 -c64 -d20s -s bench/pageviews.lua http://127.0.0.1:8080/ingest
--
-- Each request looks like what hk.js sends: a JSON body as text/plain (so browsers skip the CORS
-- preflight), a browser User-Agent and an X-Forwarded-For that the server believes because the peer
-- is loopback. Traffic comes from a fixed pool of visitors (IP + browser), so visitor and session ids
-- repeat the way they do on a real site, over about 200 pages with a few referrers.
--
-- Requests are built once per thread in init() and then replayed round robin: building JSON in Lua
-- on every request would spend CPU that the server under test shares on this machine.
--
-- At the end it prints, besides wrk's own summary:
--   accepted_202: <n>        responses with status 202
--   non_202: <n>             responses with any other status
--   status_<code>: <n>       one line per status seen
--   socket_errors: <n>       connect/read/write/timeout errors (no status at all)
--   accepted_per_sec: <x>    202s divided by the run's duration

local SITE = "https://example.com"
local VISITORS = 3000          -- distinct (IP, browser) pairs, "a few thousand IPs"
local REQUESTS_PER_THREAD = 8192

local USER_AGENTS = {
  -- desktop
  { ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", vp = 1280 },
  { ua = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", vp = 1440 },
  { ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36", vp = 1920 },
  { ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", vp = 1920 },
  { ua = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0", vp = 1366 },
  { ua = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15", vp = 1512 },
  -- mobile and tablet
  { ua = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", vp = 390 },
  { ua = "Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1", vp = 820 },
  { ua = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36", vp = 412 },
  { ua = "Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36", vp = 360 },
  { ua = "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0", vp = 412 },
  { ua = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1", vp = 390 },
}

-- Referrers with rough real-world weights; "" is direct traffic. Same-site referrers are internal
-- navigation, which the pipeline must not count as a source.
local REFERRERS = {
  { url = "", weight = 45 },
  { url = "https://www.google.com/", weight = 25 },
  { url = "https://news.ycombinator.com/", weight = 10 },
  { url = SITE .. "/", weight = 10 },
  { url = "https://duckduckgo.com/", weight = 4 },
  { url = "https://t.co/abc123", weight = 3 },
  { url = "https://www.reddit.com/r/selfhosted/", weight = 3 },
}

local LANGS = { "en-US", "en-US", "en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "ja-JP" }

-- About 200 pages: a few top-level ones, a blog and docs.
local function build_paths()
  local paths = { "/", "/pricing", "/about", "/contact", "/blog", "/docs", "/features", "/signup",
                  "/login", "/changelog" }
  for i = 1, 120 do paths[#paths + 1] = "/blog/post-" .. i end
  for i = 1, 70 do paths[#paths + 1] = "/docs/section-" .. math.floor((i - 1) / 10) + 1 .. "/page-" .. i end
  return paths
end

local function pick_weighted(items)
  local total = 0
  for _, item in ipairs(items) do total = total + item.weight end
  local r = math.random() * total
  for _, item in ipairs(items) do
    r = r - item.weight
    if r <= 0 then return item.url end
  end
  return items[#items].url
end

-- ---- wrk hooks ----------------------------------------------------------------------------

-- setup() runs in the main Lua state once per thread; keeping the thread objects lets done() read
-- each thread's counters, which live in that thread's own Lua state.
local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("thread_number", #threads)
end

function init(args)
  -- Same visitor pool in every thread (fixed seed), different request order per thread.
  math.randomseed(42)
  local visitors = {}
  for i = 1, VISITORS do
    visitors[i] = {
      ip = string.format("%d.%d.%d.%d", math.random(11, 223), math.random(0, 255), math.random(0, 255), math.random(1, 254)),
      agent = USER_AGENTS[math.random(#USER_AGENTS)],
      lang = LANGS[math.random(#LANGS)],
    }
  end

  math.randomseed(1000 + thread_number)
  local paths = build_paths()
  requests = {}
  for i = 1, REQUESTS_PER_THREAD do
    local visitor = visitors[math.random(VISITORS)]
    -- Skewed towards the first pages, as real sites are: r^2 puts most weight on low indexes.
    local path = paths[math.floor(math.random() ^ 2 * #paths) + 1]
    local body = string.format('{"url":"%s%s","referrer":"%s","lang":"%s","vp_w":%d}',
      SITE, path, pick_weighted(REFERRERS), visitor.lang, visitor.agent.vp)
    requests[i] = wrk.format("POST", nil, {
      ["Content-Type"] = "text/plain",
      ["User-Agent"] = visitor.agent.ua,
      ["X-Forwarded-For"] = visitor.ip,
      ["Origin"] = SITE,
    }, body)
  end
  next_request = 0

  statuses = {}
end

function request()
  next_request = next_request % REQUESTS_PER_THREAD + 1
  return requests[next_request]
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local by_status = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      by_status[status] = (by_status[status] or 0) + count
    end
  end

  local accepted, others = 0, 0
  local codes = {}
  for status, count in pairs(by_status) do
    codes[#codes + 1] = status
    if status == 202 then accepted = accepted + count else others = others + count end
  end
  table.sort(codes)

  local errors = summary.errors
  local socket_errors = errors.connect + errors.read + errors.write + errors.timeout
  local seconds = summary.duration / 1e6

  io.write("\n-- pageviews.lua --\n")
  io.write(string.format("accepted_202: %d\n", accepted))
  io.write(string.format("non_202: %d\n", others))
  for _, status in ipairs(codes) do
    io.write(string.format("status_%d: %d\n", status, by_status[status]))
  end
  io.write(string.format("socket_errors: %d\n", socket_errors))
  io.write(string.format("duration_seconds: %.3f\n", seconds))
  io.write(string.format("accepted_per_sec: %.1f\n", accepted / seconds))
end
