#!/bin/sh
# The command the MCP conformance suite runs for each client scenario: step 05's client (ConformanceClient.java,
# beside this script) with the server URL as the last argument. It runs the compiled classes with the module's
# class path (no Maven per scenario: a JVM starts in a second or two), which this needs once, from the
# repository root:
#
#   ./mvnw -q -pl 05-oauth-resource-server compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
set -eu
here=$(cd "$(dirname "$0")" && pwd)
module=$(cd "$here/../.." && pwd)
if [ ! -f "$module/target/classpath.txt" ] || [ ! -d "$module/target/classes/workshop" ]; then
  echo "client.sh: compile step 05 first: ./mvnw -q -pl 05-oauth-resource-server compile" \
    "dependency:build-classpath -Dmdep.outputFile=target/classpath.txt" >&2
  exit 2
fi
classpath="$module/target/classes:$(cat "$module/target/classpath.txt")"
harness="$module/target/conformance-client"
if [ ! -f "$harness/ConformanceClient.class" ] || [ "$here/ConformanceClient.java" -nt "$harness/ConformanceClient.class" ]; then
  javac -d "$harness" -cp "$classpath" "$here/ConformanceClient.java"
fi
for url in "$@"; do :; done
# A short-lived client: the quick JIT tier and the serial collector start fastest.
exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$harness:$classpath" ConformanceClient "$url"
