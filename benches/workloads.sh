#!/bin/sh
# Writes a scenario with N generated workloads (five lines each) to stdout, for measuring how
# memory grows with the number of workloads:
#
#   benches/workloads.sh 100000 > /tmp/w100000.toml
#   /usr/bin/time -f %M llmplan rank /tmp/w100000.toml -o /tmp/out
#
# The README's Performance section gives the figures and the commands.
set -eu
n=${1:?usage: benches/workloads.sh N}
printf 'name = "%s generated workloads"\n' "$n"
awk -v n="$n" 'BEGIN {
  for (i = 0; i < n; i++) {
    printf "\n[[workload]]\nname = \"w%d\"\nrequests_per_day = %d\ninput_tokens = %d\noutput_tokens = %d\n", i, 100 + i % 900, 500 + i % 1500, 100 + i % 400
  }
}'
