#!/usr/bin/env bash
# Imports under a small heap: the single binary with a 96 MB heap takes a 40 MB GoatCounter export of
# 350,000 pageviews (parsed as it streams in, sent to the writer in chunks, summed into days there), and
# the same number of rows of bots (parsed and left out: nothing but one pageview crosses to the writer) as the baseline of
# the same run. Prints both times, their ratio, and a three-year Plausible export's time.
# Usage: bash bench/imports/run.sh   (needs app/target/hitkeep.jar, curl, python3)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../fuzz/server.sh"

ROWS="${ROWS:-350000}"
python3 - "$WORK" "$ROWS" <<'PY'
import sys, zipfile
work, rows = sys.argv[1], int(sys.argv[2])
header = "2Path,Title,Event,UserAgent,Browser,System,Session,Bot,Referrer,Referrer scheme,Screen size,Location,FirstVisit,Date\n"
def row(i, bot):
    return ("/page-%d,,false,Mozilla/5.0,Firefox 125,Linux ,session-%d,%d,example.org/%d,h,\"1280,800,1\",NL,true,"
            "2024-%02d-%02dT%02d:%02d:00Z\n" % (i % 300, i % 20000, 7 if bot else 0, i % 500, 1 + i % 12, 1 + i % 28, i % 24, i % 60))
for name, bot in (("pageviews.csv", False), ("bots.csv", True)):
    with open("%s/%s" % (work, name), "w") as out:
        out.write(header)
        if bot:
            # one pageview: an import of nothing but bots is refused as empty
            out.write(row(0, False))
        for i in range(rows):
            out.write(row(i, bot))
# three years of a Plausible export: each day's totals and 200 pages a day
import datetime
days = [datetime.date(2021, 1, 1) + datetime.timedelta(d) for d in range(3 * 365)]
with zipfile.ZipFile("%s/plausible.zip" % work, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("imported_visitors_20210101_20231231.csv", "date,visitors,pageviews,bounces,visits,visit_duration\n"
               + "".join("%s,100,300,40,120,6000\n" % d for d in days))
    z.writestr("imported_pages_20210101_20231231.csv", "date,hostname,page,visits,visitors,pageviews\n"
               + "".join("%s,example.com,/page-%d,3,2,5\n" % (d, p) for d in days for p in range(200)))
PY
ls -l "$WORK"/*.csv "$WORK"/plausible.zip | awk '{print $5, $9}'

export HITKEEP_JVM_MAX_HEAP=96m
start_hitkeep
BASE="http://127.0.0.1:$PORT"
curl -fsS -c "$WORK/cookies" -H 'Content-Type: application/json' -d '{"email":"bench@example.com","password":"bench password 123"}' \
  "$BASE/api/initial-user" >/dev/null
for domain in bots.example pageviews.example plausible.example; do
  curl -fsS -b "$WORK/cookies" -H 'Content-Type: application/json' -d "{\"domain\":\"$domain\",\"timezone\":\"UTC\"}" "$BASE/api/sites" >/dev/null
done

upload() { # site source file
  local start end
  start=$(date +%s.%N)
  curl -fsS -b "$WORK/cookies" -H 'Content-Type: application/octet-stream' --data-binary "@$WORK/$3" \
    "$BASE/api/sites/$1/imports?source=$2&filename=$3" >"$WORK/answer.json"
  end=$(date +%s.%N)
  python3 -c "print('%.2f' % ($end - $start))"
}
bots=$(upload 1 goatcounter bots.csv)
pageviews=$(upload 2 goatcounter pageviews.csv)
echo "goatcounter pageviews: $(cat "$WORK/answer.json")"
plausible=$(upload 3 plausible plausible.zip)
echo "plausible: $(cat "$WORK/answer.json")"
echo "heap limit 96 MB; rows $ROWS"
echo "bots (parse only):           $bots s"
echo "pageviews (parse and store): $pageviews s ($(python3 -c "print('%.1f' % ($pageviews / $bots))") x the parse-only baseline)"
echo "plausible, 3 years, 219,000 rows: $plausible s"
grep -c "OutOfMemoryError" "$LOG" | sed 's/^/OutOfMemoryError lines in the log: /' || true
