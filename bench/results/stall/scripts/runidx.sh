#!/bin/bash
# usage: runidx.sh NAME PORT SNAP INDEXMODE BG(0/1) [server args...]
NAME=$1; PORT=$2; SNAP=$3; IMODE=$4; BG=$5; shift 5
D=/tmp/stall/data-$NAME; R=/work/main/bench/results/stall/$NAME; mkdir -p $R; rm -rf $D; cp -a $SNAP $D
/work/main/.hcingest/tools/secantus-0.7.0b3/bin/secantusd-py --port $PORT --host 127.0.0.1 --storage-path $D --log-level WARNING "$@" > $R/server.log 2>&1 &
SPID=$!; echo $SPID > $R/server.pid
for i in $(seq 60); do (echo > /dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 1; done
echo "server pid $SPID args $* bg=$BG snap=$SNAP" > $R/info.txt
node /tmp/stall/probe.mjs $PORT $SPID $R/probe.log & PRB=$!
if [ "$BG" = 1 ]; then node /tmp/stall/bg.mjs $PORT $R/bg.log & BGP=$!; fi
/tmp/stall/dumper.sh $R > /dev/null 2>&1 & DMP=$!
sleep 3
node /tmp/stall/load.mjs $PORT 0 index $IMODE > $R/load.log 2>&1
echo "load rc=$?" >> $R/load.log
sleep 3
kill $PRB $DMP; [ -n "$BGP" ] && kill $BGP
grep -o 'hwm_mb=[0-9]*' $R/probe.log | tail -1 >> $R/info.txt
tail -1 $R/probe.log >> $R/info.txt
kill $SPID; while kill -0 $SPID 2>/dev/null; do sleep 1; done; rm -rf $D
