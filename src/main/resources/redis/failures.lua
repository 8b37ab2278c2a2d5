-- One step of a failure counter on Redis (ratelimit.FailureThrottle's rules), atomically.
-- KEYS[1]: the key's record "count:last:until" (epoch ms).
-- ARGV: op (wait | attempt | forgive), free failures, first delay ms, max delay ms, forget after ms,
-- and the time in epoch ms ('' = Redis's own clock).
-- Answers, in ms: for wait, how long the key must still wait; for attempt, the delay it starts.
local key = KEYS[1]
local op = ARGV[1]
local free = tonumber(ARGV[2])
local first = tonumber(ARGV[3])
local max = tonumber(ARGV[4])
local forget = tonumber(ARGV[5])
local now
if ARGV[6] ~= '' then
  now = tonumber(ARGV[6])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local count, last, blocked = 0, 0, 0
local stored = redis.call('GET', key)
if stored then
  local parts = {}
  for n in string.gmatch(stored, '[^:]+') do parts[#parts + 1] = tonumber(n) end
  count, last, blocked = parts[1], parts[2], parts[3]
end

local function delay(n)
  local beyond = n - free
  if beyond <= 0 then return 0 end
  local d = first * math.pow(2, math.min(beyond - 1, 40))
  if d > max then return max end
  return d
end

local function store()
  local keep = math.max(forget, blocked - now) + 1000
  redis.call('SET', key, string.format('%d:%d:%d', count, last, blocked), 'PX', math.floor(keep))
end

if op == 'wait' then
  return math.max(0, blocked - now)
end
if op == 'attempt' then
  if now - last > forget then count = 0 end
  count = count + 1
  last = now
  local d = delay(count)
  if d > 0 then blocked = now + d else blocked = 0 end
  store()
  return d
end
if op == 'forgive' then
  if stored then
    count = math.max(0, count - 1)
    blocked = 0
    store()
  end
  return 0
end
return redis.error_reply('unknown op')
