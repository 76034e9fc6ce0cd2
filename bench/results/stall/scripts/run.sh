#!/bin/bash
# usage: run.sh NAME PORT N MODE INDEXMODE [server args...]
NAME=$1; PORT=$2; N=$3; MODE=$4; IMODE=$5; shift 5
D=/tmp/stall/data-$NAME; R=/work/main/bench/results/stall/$NAME; mkdir -p $R; rm -rf $D
/work/main/.hcingest/tools/secantus-0.7.0b3/bin/secantusd-py --port $PORT --host 127.0.0.1 --storage-path $D --log-level WARNING "$@" > $R/server.log 2>&1 &
SPID=$!; echo $SPID > $R/server.pid
# actual python pid (launcher may exec)
sleep 3
for i in $(seq 30); do (echo > /dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 1; done
echo "server pid $SPID args $*" > $R/info.txt
node /tmp/stall/probe.mjs $PORT $SPID $R/probe.log & PPID_=$!
/tmp/stall/dumper.sh $R > /dev/null 2>&1 & DMP=$!
echo $PPID_ > $R/probe.pid
node /tmp/stall/load.mjs $PORT $N $MODE $IMODE > $R/load.log 2>&1
echo "load rc=$?" >> $R/load.log
sleep 2
kill $PPID_ $DMP
grep -o 'hwm_mb=[0-9]*' $R/probe.log | tail -1 >> $R/info.txt
tail -1 $R/probe.log >> $R/info.txt
kill $SPID; while kill -0 $SPID 2>/dev/null; do sleep 1; done; [ -z "$KEEP" ] && rm -rf $D
