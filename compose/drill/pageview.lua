-- wrk: POST a tracker-like pageview to /ingest (a browser user agent, or the gateway drops it as a bot)
wrk.method = "POST"
wrk.path = "/ingest"
wrk.headers["Content-Type"] = "text/plain"
wrk.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
wrk.body = '{"url":"https://drill.example.com/bench","referrer":"https://www.google.com/"}'
