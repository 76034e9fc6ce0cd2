#!/bin/bash
cd /tmp/stall
while pgrep -f "run.sh full-pre" >/dev/null; do sleep 2; done
sleep 2
./run.sh load-oplog10k 37017 945000 load all --oplog-max-entries 10000 > /dev/null 2>&1
sleep 2
./run.sh load-oplog2m 37017 945000 load all --oplog-max-entries 2000000 > /dev/null 2>&1
sleep 2
./runidx.sh idx-4g 37017 /tmp/stall/snap945k all 1 --cache-size 4G > /dev/null 2>&1
echo chain-done > /tmp/stall/chain.done
