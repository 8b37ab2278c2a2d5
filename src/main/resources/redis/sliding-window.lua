-- One rate-limit decision on Redis, atomically: the sliding window of ratelimit.SlidingWindow
-- (the same counts, the same answers) kept in one string per limit and key, "head:c0:c1:...".
-- KEYS[1]: the window's hash.  ARGV: slot length in ms, slots in the ring, the limit, and the time
-- in epoch ms ('' = Redis's own clock, the same for every instance).
-- Answers {admitted (0/1), remaining, ms until the oldest counted request stops counting,
-- ms until one more would be admitted (when refused)}.
local key = KEYS[1]
local slot = tonumber(ARGV[1])
local ring = tonumber(ARGV[2])
local max = tonumber(ARGV[3])
local now
if ARGV[4] ~= '' then
  now = tonumber(ARGV[4])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local head = 0
local counts = {}
local stored = redis.call('GET', key)
if stored then
  local i = -1
  for n in string.gmatch(stored, '[^:]+') do
    if i < 0 then head = tonumber(n) else counts[i] = tonumber(n) end
    i = i + 1
  end
end
for i = 0, ring - 1 do counts[i] = counts[i] or 0 end

-- Forget the sub-windows that no longer overlap a window ending now; a clock that went back
-- counts as standing still.
local current = math.floor(now / slot)
if current > head then
  if current - head >= ring then
    for i = 0, ring - 1 do counts[i] = 0 end
  else
    for s = head + 1, current do counts[s % ring] = 0 end
  end
  head = current
end
local total = 0
for i = 0, ring - 1 do total = total + counts[i] end

-- When at least `needed` counted requests have stopped counting (with 1: the oldest).
local function freedAt(needed)
  local dropped = 0
  for age = 0, ring - 1 do
    dropped = dropped + counts[(head + 1 + age) % ring]
    if dropped > 0 and dropped >= needed then return (head + 1 + age) * slot end
  end
  return (head + ring) * slot
end

local admitted = 0
if total < max then
  local at = head % ring
  counts[at] = counts[at] + 1
  total = total + 1
  admitted = 1
end
local write = {string.format('%d', head)}
for i = 0, ring - 1 do write[#write + 1] = counts[i] end
-- Idle keys go by themselves once nothing in them counts any more.
redis.call('SET', key, table.concat(write, ':'), 'PX', (ring + 1) * slot)
local reset = freedAt(1) - now
if admitted == 1 then
  return {1, max - total, reset, 0}
end
return {0, 0, reset, freedAt(total - max + 1) - now}
