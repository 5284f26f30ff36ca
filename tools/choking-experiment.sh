#!/bin/bash
# The choking experiment of docs/choking.md, every run at the current commit: four seeds of
# the free-rider run and of the all-contributor run, interleaved so that drift of the
# machine hits both, then the no-incentive and below-capacity runs; then the table.
#   bash tools/choking-experiment.sh [report dir, default reports/choking]
# 18 minutes on the 2-core machine. Traffic stays on loopback.
set -u
cd "$(dirname "$0")/.."
dir=${1:-reports/choking}
# Node 22 (libp2p 3 needs it) comes with the node@22 devDependency, as in `npm run`.
export PATH="$PWD/node_modules/.bin:$PATH"
mkdir -p "$dir"
npm run -s build
common="--peers 64 --rechoke-ms 1000 --choke-window-ms 60000 --rate 128 --duration 60 --keys 200 --read-ratio 0.9"
run () {
  name=$1; shift
  echo "=== $name @ $(git rev-parse --short HEAD): npm run swarm -- $common $*"
  timeout 600 node dist/tools/swarm.js $common "$@" --report "$dir/$name.json" | grep -E "^(ring|choking|  [ cf]|workload|PASS|FAIL)"
}
for s in 1 2 3 4; do
  run on-f10-s$s --freeriders 10 --choking on --capacity 10 --seed $s
  run all-contrib-s$s --freeriders 0 --choking on --capacity 10 --seed $s
done
run off-f10 --freeriders 10 --choking off --capacity 10
run below-f0 --freeriders 0 --choking on --capacity 1000
run below-f10 --freeriders 10 --choking on --capacity 1000
node dist/tools/chokingTable.js "$dir"/*.json
