cd /work/main/bench/results/stall
for d in base1m load945k idx-bg idx-each idx-256m idx-auth full-pre load-oplog10k load-oplog2m idx-4g; do
  [ -d $d ] || continue
  ins=$(grep -o "insert_s=[0-9.]*" $d/load.log | head -1); mb=$(grep -o "max_batch_ms=[0-9]*" $d/load.log); idx=$(grep -o "index_build_s=[0-9.]*" $d/load.log | tail -1)
  hwm=$(grep -o 'hwm_mb=[0-9]*' $d/probe.log | sort -t= -k2 -n | tail -1)
  mx=$(tail -1 $d/probe.log | grep -o "max[ABC]*=[0-9.]*\|max_ping_s=[0-9.]*" | tr '\n' ' ')
  bgm=$( [ -f $d/bg.log ] && grep -o "round [0-9]*ms" $d/bg.log | sort -k2 -n | tail -1)
  echo "$d | $ins $mb | $idx | $mx | $hwm | bg:$bgm"
done
