#!/usr/bin/env bash
# The soak: the app (-Xmx1g, embedded OpenSearch) reads a generated stream from the local SSE server at
# ten times the live rate, is killed with kill -9 every few minutes and restarted, meets a closed index
# and a full lake disk for a minute each; then the lake and the index are checked against every good
# event sent. Prints events sent, kills, losses, duplicates, dead letters and peak RSS, and writes them
# to target/soak-report.md. Needs a build with test classes: ./mvnw -DskipTests package
#   bench/soak.sh [--minutes 30] [--rate 400] [--kill-every SECONDS] [--fault-seconds SECONDS] [--seed N]
#   bench/soak.sh --minutes 3            (a short run: faults of 30 s, a kill every ~30 s)
# Exit status 0 when every good event is in the lake and the index exactly once, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d target/test-classes ] || { echo "no target/test-classes: run ./mvnw -DskipTests package first" >&2; exit 1; }
classpath=target/soak-classpath.txt
if [ ! -s "$classpath" ] || [ pom.xml -nt "$classpath" ]; then
  ./mvnw -q -B -ntp dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$classpath" >&2
fi
exec java -Xmx1g -cp "$PWD/target/test-classes:$PWD/target/classes:$(cat "$classpath")" org.wikiedits.soak.Soak "$@"
