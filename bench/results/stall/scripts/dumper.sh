#!/bin/bash
# dumper.sh RESULTDIR : take a py-spy dump every 15s while server alive (max 40)
R=$1; P=$(cat $R/server.pid); n=0
while kill -0 $P 2>/dev/null && [ $n -lt 40 ]; do
  /tmp/pyspyvenv/bin/py-spy dump --native --pid $P > $R/dump-$(date +%H%M%S).txt 2>&1; n=$((n+1)); sleep 15
done
