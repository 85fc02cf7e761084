#!/bin/sh
# Runs every client-auth scenario of one version of the MCP conformance suite against client.sh, one scenario
# at a time (the suite's --suite runs them all at once, and a JVM per scenario started together times out on a
# small machine), and prints one table row per scenario: its checks passed/total, failed, warnings, the client's
# exit code, and the suite's verdict (which also fails a scenario whose client exits non-zero, unless the
# scenario expects the client to stop).
#
#   clients/conformance/run.sh 0.1.16
#   clients/conformance/run.sh 0.2.0-alpha.12
#
# Extensions (client credentials, enterprise-managed authorization, DPoP, workload identity) are left out:
# they are optional by the suite's own rules and this client is an authorization-code client.
set -eu
version=${1:?usage: run.sh VERSION [RESULTS_DIR]}
here=$(cd "$(dirname "$0")" && pwd)
results=${2:-$(mktemp -d)}
client=${CONFORMANCE_CLIENT:-$here/client.sh}
suite="npx -y @modelcontextprotocol/conformance@$version"

scenarios=$($suite list | sed -n 's/^ *- \(auth\/[a-z0-9-]*\) \[\([^]]*\)\]$/\1 \2/p' | grep -v ' extension$' | cut -d' ' -f1)
echo "| scenario | $version checks | failed | warnings | client exit | suite verdict |"
echo "|---|---|---|---|---|---|"
for scenario in $scenarios; do
  log="$results/$(echo "$scenario" | tr / _).log"
  $suite client --command "$client" --scenario "$scenario" --timeout 120000 -o "$results" >"$log" 2>&1 || true
  summary=$(sed -n 's/^Passed: \([0-9]*\)\/\([0-9]*\), \([0-9]*\) failed, \([0-9]*\) warnings.*/\1\/\2 \3 \4/p' "$log" | tail -1)
  set -- ${summary:-"-" "-" "-"}
  code=$(sed -n 's/^Client exited with code \([0-9]*\).*/\1/p' "$log" | tail -1)
  verdict=$(sed -n 's/.*OVERALL: \([A-Z]*\).*/\1/p' "$log" | tail -1)
  echo "| $scenario | $1 | $2 | $3 | ${code:-0} | ${verdict:--} |"
done
echo "(logs and checks.json files: $results)"
