-- One step of the failure counters on Redis (ratelimit.FailureThrottle's rules), atomically.
-- Each key's record is "count:last:until" (epoch ms).
-- ARGV[1] is the step, ARGV[2] the time in epoch ms ('' = Redis's own clock); then, per key of
-- KEYS, its policy: free failures, first delay ms, max delay ms, forget after ms.
--   admit:   one throttle decision over every key: when one must still wait, nothing is counted and
--            the answer is {its index (1-based), the wait in ms}; else an attempt of each is counted
--            and the answer is {0, 0, the delay in ms each starts}.
--   forgive: the attempt of KEYS[1] succeeded; it keeps its earlier failures but is not held back.
local op = ARGV[1]
local now
if ARGV[2] ~= '' then
  now = tonumber(ARGV[2])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function policy(i)
  local base = 2 + (i - 1) * 4
  return tonumber(ARGV[base + 1]), tonumber(ARGV[base + 2]), tonumber(ARGV[base + 3]), tonumber(ARGV[base + 4])
end

local function read(key)
  local stored = redis.call('GET', key)
  if not stored then
    return 0, 0, 0, false
  end
  local parts = {}
  for n in string.gmatch(stored, '[^:]+') do parts[#parts + 1] = tonumber(n) end
  return parts[1], parts[2], parts[3], true
end

local function store(key, count, last, blocked, forget)
  local keep = math.max(forget, blocked - now) + 1000
  redis.call('SET', key, string.format('%d:%d:%d', count, last, blocked), 'PX', math.floor(keep))
end

local function delay(n, free, first, max)
  local beyond = n - free
  if beyond <= 0 then return 0 end
  local d = first * math.pow(2, math.min(beyond - 1, 40))
  if d > max then return max end
  return d
end

if op == 'admit' then
  local counts, lasts = {}, {}
  for i, key in ipairs(KEYS) do
    local count, last, blocked = read(key)
    if blocked > now then
      return { i, blocked - now }
    end
    counts[i], lasts[i] = count, last
  end
  local out = { 0, 0 }
  for i, key in ipairs(KEYS) do
    local free, first, max, forget = policy(i)
    local count = counts[i]
    if now - lasts[i] > forget then count = 0 end
    count = count + 1
    local d = delay(count, free, first, max)
    local blocked = 0
    if d > 0 then blocked = now + d end
    store(key, count, now, blocked, forget)
    out[#out + 1] = d
  end
  return out
end
if op == 'forgive' then
  local _, _, _, forget = policy(1)
  local count, last, _, found = read(KEYS[1])
  if found then
    store(KEYS[1], math.max(0, count - 1), last, 0, forget)
  end
  return 0
end
return redis.error_reply('unknown op')
