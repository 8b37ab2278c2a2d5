-- One step of the refresh-token store on Redis (store.RedisRefreshTokenStore), atomically.
-- A token is a hash <prefix>:refresh:<token hash> of its fields (epoch ms for times; absent = null)
-- that expires with its family; <prefix>:refresh-family:<family id> is the set of its family's
-- token hashes, which expires with them; <prefix>:refresh-user:<user id> and
-- <prefix>:refresh-session:<sid> are the sets of family ids of a user and of a session, which
-- last as long as their longest family.
-- ARGV[1] is the step; KEYS and the other ARGV are the step's own, named below.
local op = ARGV[1]

-- Adds a member to a set that must live at least ttl ms.
local function index(key, member, ttl)
  redis.call('SADD', key, member)
  if redis.call('PTTL', key) < tonumber(ttl) then
    redis.call('PEXPIRE', key, ttl)
  end
end

if op == 'insert' then
  -- KEYS: token, family, user's families, session's families (absent without a session).
  -- ARGV: token hash, ms to the family's end, family id, then field, value, ...
  redis.call('HSET', KEYS[1], unpack(ARGV, 5))
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  index(KEYS[2], ARGV[2], ARGV[3])
  index(KEYS[3], ARGV[4], ARGV[3])
  if KEYS[4] then
    index(KEYS[4], ARGV[4], ARGV[3])
  end
  return 1
end

if op == 'use' then
  -- KEYS: token. ARGV: when. 1 when this call used it; 0 when it is gone, used or revoked.
  local s = redis.call('HMGET', KEYS[1], 'family', 'used', 'revoked')
  if not s[1] or s[2] or s[3] then
    return 0
  end
  redis.call('HSET', KEYS[1], 'used', ARGV[2])
  return 1
end

if op == 'revoke-family' then
  -- KEYS: family. ARGV: when, the token keys' prefix, then the fields to answer.
  -- Answers, for each token of the family still stored: its hash, then the fields' values.
  local fields = { unpack(ARGV, 4) }
  local out = {}
  for _, hash in ipairs(redis.call('SMEMBERS', KEYS[1])) do
    local key = ARGV[3] .. hash
    if redis.call('EXISTS', key) == 1 then
      redis.call('HSETNX', key, 'revoked', ARGV[2])
      local token = redis.call('HMGET', key, unpack(fields)) -- a missing field is false, answered as nil
      table.insert(token, 1, hash)
      out[#out + 1] = token
    end
  end
  return out
end

if op == 'revoke-families' then
  -- KEYS: a user's or a session's families. ARGV: when, the token keys' prefix, the family keys' prefix.
  -- Answers how many tokens it revoked.
  local count = 0
  for _, family in ipairs(redis.call('SMEMBERS', KEYS[1])) do
    for _, hash in ipairs(redis.call('SMEMBERS', ARGV[4] .. family)) do
      local key = ARGV[3] .. hash
      if redis.call('EXISTS', key) == 1 then
        count = count + redis.call('HSETNX', key, 'revoked', ARGV[2])
      end
    end
  end
  return count
end

return redis.error_reply('unknown step ' .. tostring(op))
