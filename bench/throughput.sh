#!/usr/bin/env bash
# End-to-end throughput of a built jar: the generator as fast as possible (wikiedits.generator.rate=0)
# through the lake and the embedded OpenSearch index for SECONDS, then SIGTERM (which commits what is
# pending). Prints events committed by both sinks per second of running time, and the peak RSS.
#   bench/throughput.sh [JAR] [SECONDS]     (defaults: target/camel-app.jar, 45)
# Compare two builds in one sitting, alternating runs, on an otherwise idle machine.
set -euo pipefail
jar=${1:-target/camel-app.jar}
seconds=${2:-45}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

java -Xmx1g -Dwikiedits.source.url=generator: -Dwikiedits.generator.rate=0 \
    -Dwikiedits.data.dir="$work/data" -Dwikiedits.http.port="$(free_port)" \
    -Dwikiedits.opensearch.embedded.http-port="$(free_port)" -Dwikiedits.progress.seconds=5 \
    -jar "$jar" > "$work/log" 2>&1 &
pid=$!
until grep -qs "wikiedits running" "$work/log"; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/log"; exit 1; }
  sleep 0.2
done
started=$(date +%s.%N)
peak=0
for _ in $(seq 1 "$seconds"); do
  sleep 1
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
  [ "$rss" -gt "$peak" ] && peak=$rss
done
kill -TERM "$pid"
stopped=$(date +%s.%N)
wait "$pid" || true
lake=$(grep -o 'Lake closed: [0-9]* rows written' "$work/log" | grep -o '[0-9]*' | head -1)
# "Index closed: N documents indexed" before issue 12, "Index closed: N new documents, ..." since
index=$(grep -o 'Index closed: [0-9]*' "$work/log" | grep -o '[0-9]*' | head -1)
python3 - "$jar" "$started" "$stopped" "$lake" "$index" "$peak" <<'PY'
import sys
jar, started, stopped, lake, index, peak = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
both = min(lake, index)
print(f"{jar}: {both / (stopped - started):,.0f} events/s through both sinks "
      f"({lake} lake rows, {index} documents in {stopped - started:.1f} s), peak RSS {peak / 1024:.0f} MB")
PY
