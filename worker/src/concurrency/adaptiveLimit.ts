/**
 * The adaptive limit on chunk jobs in flight across all workers (GLOBAL_CONCURRENCY=auto): a
 * latency-based additive-increase / multiplicative-decrease rule in the manner of TCP Vegas.
 *
 * Each accounted chunk reports its time per row. The shared state keeps the lowest time per row
 * seen (the store's uncongested latency; it drifts up 0.2 % a sample so that it re-learns after a
 * change of workload) and, once a round of `limit` chunks has reported at the current limit, it
 * estimates how many chunks were queued in the store rather than being served:
 * `queued = limit × (1 − base / average)`. Then:
 * - queued ≥ limit / 2 (the time per row doubled): the limit is halved;
 * - queued ≥ BETA: one less;
 * - queued < ALPHA: one more;
 * - else it holds.
 *
 * A store that serves more writers in parallel keeps its latency flat and the limit grows; one
 * that serializes writes (the test server: one collection lock) doubles its latency at the
 * second writer and the limit stays at 1 or 2. The state is one Redis hash updated by a script,
 * atomically, so any number of workers on any number of hosts share it; the limit itself is
 * BullMQ's global concurrency of the queue (Queue.setGlobalConcurrency), which the queue's
 * scripts enforce when a worker takes a job.
 */
export const ADAPTIVE = { initial: 2, min: 1, max: 64, alpha: 0.5, beta: 1, drift: 0.002 } as const;

/** KEYS: state hash, history list. ARGV: ms per row, now (ms), then ADAPTIVE's values. Returns {limit, changed}. */
export const ADAPT_SCRIPT = `
local s = redis.call('HMGET', KEYS[1], 'limit', 'base', 'sum', 'n')
local sample = tonumber(ARGV[1])
local initial, min, max = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local alpha, beta, drift = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
local limit = tonumber(s[1]) or initial
local base = tonumber(s[2]) or sample
local sum = (tonumber(s[3]) or 0) + sample
local n = (tonumber(s[4]) or 0) + 1
local before = limit
base = math.min(base * (1 + drift), sample)
if n >= limit then
  local queued = limit * (1 - base / (sum / n))
  if limit > 1 and queued >= limit / 2 then limit = math.floor(limit / 2)
  elseif queued >= beta then limit = limit - 1
  elseif queued < alpha then limit = limit + 1 end
  limit = math.max(min, math.min(max, limit))
  sum, n = 0, 0
end
redis.call('HSET', KEYS[1], 'limit', limit, 'base', tostring(base), 'sum', tostring(sum), 'n', n)
if limit ~= before or not s[1] then
  redis.call('LPUSH', KEYS[2], ARGV[2] .. ':' .. limit)
  redis.call('LTRIM', KEYS[2], 0, 499)
end
if limit ~= before then return {limit, 1} end
return {limit, 0}
`;
