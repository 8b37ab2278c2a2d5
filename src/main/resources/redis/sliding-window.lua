-- Rate-limit decisions on Redis, atomically, a batch at a time: the sliding window of
-- ratelimit.SlidingWindow (the same counts, the same answers) kept in one string per limit and
-- key: the newest sub-window's number, each sub-window's count, and when the latest request of
-- each was admitted (ms from the sub-window's start), packed in binary (struct.pack: one C call
-- each way, where parsing text took half the script's time). A record of the earlier shape,
-- without those times, is read as if each sub-window's latest request came at its end (it then
-- counts as long as it did before); any other shape counts as empty.
--
-- The decisions of a batch are made in the order given, each as if it were the only call: a key
-- asked for twice is read once, decided twice and written once.
-- KEYS: the windows' keys, each once.
-- ARGV[1]: the time in epoch ms ('' = Redis's own clock, the same for every instance).
-- ARGV[2]: the decisions, in order, each as the index of its key in KEYS, comma separated.
-- Then four per key, in the order of KEYS: the slot length in ms, the slots in the ring, the
-- limit, and the window in ms (a key names one limit, so these are the same for its decisions).
-- Answers one binary string, four little-endian signed 32-bit numbers per decision, in order:
-- admitted (0/1), remaining, ms until the oldest counted request stops counting, ms until one
-- more would be admitted (when refused). One string instead of 4 numbers a decision halves what
-- Redis and the client spend encoding and parsing the answer.
local now
if ARGV[1] ~= '' then
  now = tonumber(ARGV[1])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- r[1]: the newest sub-window's number; r[2 + s % ring]: the count of sub-window s;
-- r[2 + ring + s % ring]: when its latest request came, in ms from its start. Sub-windows that
-- no longer overlap a window ending now are forgotten; a clock that went back counts as
-- standing still. Returns r and the format it is packed in.
local function read(key, slot, ring)
  local counts = '<d' .. string.rep('I4', ring)
  local format = counts .. string.rep('I4', ring)
  local stored = redis.call('GET', key)
  local r
  if stored and #stored == struct.size(format) then
    r = {struct.unpack(format, stored)}
  elseif stored and #stored == struct.size(counts) then
    r = {struct.unpack(counts, stored)}
    for i = 2 + ring, 1 + 2 * ring do r[i] = slot - 1 end
  else
    r = {0}
    for i = 2, 1 + 2 * ring do r[i] = 0 end
  end
  local current = math.floor(now / slot)
  local head = r[1]
  if current > head then
    if current - head >= ring then
      for i = 2, 1 + 2 * ring do r[i] = 0 end
    else
      for s = head + 1, current do
        r[2 + s % ring] = 0
        r[2 + ring + s % ring] = 0
      end
    end
    r[1] = current
  end
  return r, format
end

-- Sub-window s stops counting a window after its latest request (only the oldest can have).
local function leaves(k, s)
  return s * k.slot + k.r[2 + k.ring + s % k.ring] + k.window
end

-- One decision on key record k. The batch shares one time, so what the first decision on a key
-- finds (the oldest sub-window gone or not, the total) holds for the next ones, which only add.
local function decide(k)
  if k.refused then
    return 0, 0, k.reset, k.retry -- a refusal changes nothing: the next one is the same
  end
  local r, ring = k.r, k.ring
  local head = r[1]
  local oldest = head - ring + 1
  local total = k.total
  if total == nil then
    if r[2 + oldest % ring] > 0 and leaves(k, oldest) <= now then
      r[2 + oldest % ring] = 0
    end
    total = 0
    for i = 2, ring + 1 do total = total + r[i] end
  end

  local admitted = 0
  if total < k.max then
    local at = head % ring
    r[2 + at] = r[2 + at] + 1
    -- A clock set back counts as standing still: the latest time only moves on.
    r[2 + ring + at] = math.max(r[2 + ring + at], math.max(0, now - head * k.slot))
    total = total + 1
    admitted = 1
  end
  k.total = total
  if admitted == 1 and k.reset then
    return 1, k.max - total, k.reset, 0 -- adding to the newest sub-window moves no reset
  end

  -- When the oldest counted request stops counting, and (refused) when enough have for one more.
  local reset, retry = nil, 0
  local needed = total - k.max + 1
  local dropped = 0
  for age = 0, ring - 1 do
    local s = oldest + age
    dropped = dropped + r[2 + s % ring]
    if dropped > 0 then
      if reset == nil then reset = leaves(k, s) - now end
      if admitted == 1 or dropped >= needed then
        if admitted == 0 then retry = leaves(k, s) - now end
        break
      end
    end
  end
  if reset == nil then reset = leaves(k, head) - now end
  k.reset = reset
  if admitted == 1 then
    return 1, k.max - total, reset, 0
  end
  if retry == 0 then retry = leaves(k, head) - now end
  k.refused, k.retry = true, retry
  return 0, 0, reset, retry
end

local records, order, answers = {}, {}, {}
local n = 0
for index in string.gmatch(ARGV[2], '%d+') do
  index = tonumber(index)
  local k = records[index]
  if k == nil then
    local at = 3 + 4 * (index - 1)
    local slot, ring = tonumber(ARGV[at]), tonumber(ARGV[at + 1])
    local r, format = read(KEYS[index], slot, ring)
    k = {key = KEYS[index], r = r, format = format, slot = slot, ring = ring,
         max = tonumber(ARGV[at + 2]), window = tonumber(ARGV[at + 3])}
    records[index] = k
    order[#order + 1] = k
  end
  answers[n + 1], answers[n + 2], answers[n + 3], answers[n + 4] = decide(k)
  n = n + 4
end
-- Idle keys go by themselves once nothing in them counts any more.
for _, k in ipairs(order) do
  redis.call('SET', k.key, struct.pack(k.format, unpack(k.r, 1, 1 + 2 * k.ring)), 'PX', (k.ring + 1) * k.slot)
end
return struct.pack('<' .. string.rep('i4', #answers), unpack(answers))
