#!/usr/bin/env bash
# The end-to-end benchmark (issue 20; docs/performance.md#end-to-end): in one run the limits (raw _bulk of the
# same documents into the same embedded node, for several bulk sizes and client threads, while the SSE test
# server streams to a plain client, and that client's drain rate), then the shipped jar (-Xmx1g) reading N
# unique events from the SSE test server as fast as it sends them into lake + index, lake only, index only,
# and at the live pace: rates and their ratios, receipt -> searchable / lake-visible p50/p99, peak RSS and
# RssAnon, CPU seconds per million split between the app's threads and the node's. Report: target/e2e-report.md.
# Needs a build with test classes: ./mvnw -DskipTests package (and no rebuild while it runs: it loads target/ classes).
#   bench/e2e.sh [--events 1000000] [--live-rate 300] [--live-seconds 120] [--set wikiedits.KEY=VALUE]...
#                [--detectors-compare]   (lake + index again, detectors on then off: their cost, docs/detectors.md)
#   bench/e2e.sh --help
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d target/test-classes ] && [ -f target/camel-app.jar ] || { echo "no target/test-classes or target/camel-app.jar: run ./mvnw -DskipTests package first" >&2; exit 1; }
classpath=target/soak-classpath.txt
if [ ! -s "$classpath" ] || [ pom.xml -nt "$classpath" ]; then
  ./mvnw -q -B -ntp dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$classpath" >&2
fi
exec java -Xmx1g -cp "$PWD/target/test-classes:$PWD/target/classes:$(cat "$classpath")" org.wikiedits.bench.EndToEndBench "$@"
