-- One rate-limit decision on Redis, atomically: the sliding window of ratelimit.SlidingWindow
-- (the same counts, the same answers) kept in one string per limit and key: the newest
-- sub-window's number and each sub-window's count, packed in binary (struct.pack: one C call each
-- way, where parsing text took half the script's time). A record of another shape (the text one
-- of an earlier version) counts as empty.
-- KEYS[1]: the window's key.  ARGV: slot length in ms, slots in the ring, the limit, and the time
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

-- r[1]: the newest sub-window's number; r[2 + s % ring]: the count of sub-window s.
local format = '<d' .. string.rep('I4', ring)
local stored = redis.call('GET', key)
local r
if stored and #stored == struct.size(format) then
  r = {struct.unpack(format, stored)}
else
  r = {0}
  for i = 2, ring + 1 do r[i] = 0 end
end

-- Forget the sub-windows that no longer overlap a window ending now; a clock that went back
-- counts as standing still.
local current = math.floor(now / slot)
local head = r[1]
if current > head then
  if current - head >= ring then
    for i = 2, ring + 1 do r[i] = 0 end
  else
    for s = head + 1, current do r[2 + s % ring] = 0 end
  end
  head = current
  r[1] = current
end
local total = 0
for i = 2, ring + 1 do total = total + r[i] end

local admitted = 0
if total < max then
  local at = 2 + head % ring
  r[at] = r[at] + 1
  total = total + 1
  admitted = 1
end
-- Idle keys go by themselves once nothing in them counts any more.
redis.call('SET', key, struct.pack(format, unpack(r, 1, ring + 1)), 'PX', (ring + 1) * slot)

-- When the oldest counted request stops counting, and (refused) when enough have for one more.
local reset, retry = nil, 0
local needed = total - max + 1
local dropped = 0
for age = 0, ring - 1 do
  local s = head + 1 + age
  dropped = dropped + r[2 + s % ring]
  if dropped > 0 then
    if reset == nil then reset = s * slot - now end
    if admitted == 1 or dropped >= needed then
      if admitted == 0 then retry = s * slot - now end
      break
    end
  end
end
if reset == nil then reset = (head + ring) * slot - now end
if admitted == 1 then
  return {1, max - total, reset, 0}
end
if retry == 0 then retry = (head + ring) * slot - now end
return {0, 0, reset, retry}
