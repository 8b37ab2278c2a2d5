-- One step of the session store on Redis (store.RedisSessionStore), atomically.
-- A session is a hash <prefix>:session:<token hash> {user, created, seen, expires (epoch ms), amr, and
-- device and address when known} that expires when the session ends; <prefix>:user-sessions:<user id> is its user's index, a sorted
-- set of token hashes by creation time that lasts as long as the user's longest session.
-- ARGV[1] is the step; KEYS and the other ARGV are the step's own, named below.
local op = ARGV[1]

if op == 'insert' then
  -- KEYS: session, index. ARGV: token hash, user, created, seen, expires, ms to its end, ms to its absolute end,
  -- amr (space-separated), device, address ('' when unknown: the field is left out).
  redis.call('HSET', KEYS[1], 'user', ARGV[3], 'created', ARGV[4], 'seen', ARGV[5], 'expires', ARGV[6], 'amr', ARGV[9])
  if ARGV[10] ~= '' then
    redis.call('HSET', KEYS[1], 'device', ARGV[10])
  end
  if ARGV[11] ~= '' then
    redis.call('HSET', KEYS[1], 'address', ARGV[11])
  end
  redis.call('PEXPIRE', KEYS[1], ARGV[7])
  redis.call('ZADD', KEYS[2], ARGV[4], ARGV[2])
  if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[8]) then
    redis.call('PEXPIRE', KEYS[2], ARGV[8])
  end
  return 1
end

if op == 'touch' then
  -- KEYS: session. ARGV: last seen, idle timeout ms, now. Never moves the last use back.
  local stored = redis.call('HMGET', KEYS[1], 'seen', 'expires')
  if not stored[1] or tonumber(stored[1]) >= tonumber(ARGV[2]) then
    return 0
  end
  redis.call('HSET', KEYS[1], 'seen', ARGV[2])
  local ends = math.min(tonumber(ARGV[2]) + tonumber(ARGV[3]), tonumber(stored[2]))
  redis.call('PEXPIRE', KEYS[1], math.max(ends - tonumber(ARGV[4]), 1))
  return 1
end

if op == 'delete' then
  -- KEYS: session. ARGV: token hash, the index keys' prefix.
  local user = redis.call('HGET', KEYS[1], 'user')
  if not user then
    return 0
  end
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', ARGV[3] .. user, ARGV[2])
  return 1
end

if op == 'list' then
  -- KEYS: index. ARGV: the session keys' prefix. Newest first: token hash, created, seen, expires, amr,
  -- device, address ('' when not recorded: a session stored before they were has none) for each; index
  -- entries whose session ended are dropped on the way.
  local out = {}
  for _, hash in ipairs(redis.call('ZREVRANGE', KEYS[1], 0, -1)) do
    local s = redis.call('HMGET', ARGV[2] .. hash, 'created', 'seen', 'expires', 'amr', 'device', 'address')
    if s[1] then
      out[#out + 1] = hash
      out[#out + 1] = s[1]
      out[#out + 1] = s[2]
      out[#out + 1] = s[3]
      out[#out + 1] = s[4] or ''
      out[#out + 1] = s[5] or ''
      out[#out + 1] = s[6] or ''
    else
      redis.call('ZREM', KEYS[1], hash)
    end
  end
  return out
end

if op == 'end-all' then
  -- KEYS: index. ARGV: the session keys' prefix, the token hash to keep ('' = none). Answers how many ended.
  local ended = 0
  for _, hash in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
    if hash ~= ARGV[3] then
      ended = ended + redis.call('DEL', ARGV[2] .. hash)
      redis.call('ZREM', KEYS[1], hash)
    end
  end
  return ended
end

return redis.error_reply('unknown step ' .. tostring(op))
