-- One step of the refresh-token store on Redis (store.RedisRefreshTokenStore), atomically.
-- A token is a hash <prefix>:refresh:<token hash> of its fields (epoch ms for times; absent = null)
-- that expires with its family; <prefix>:refresh-family:<family id> is the set of its family's
-- token hashes, which expires with them.
-- ARGV[1] is the step; KEYS and the other ARGV are the step's own, named below.
local op = ARGV[1]

if op == 'insert' then
  -- KEYS: token, family. ARGV: token hash, ms to the family's end, then field, value, ...
  redis.call('HSET', KEYS[1], unpack(ARGV, 4))
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  redis.call('SADD', KEYS[2], ARGV[2])
  if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[3]) then
    redis.call('PEXPIRE', KEYS[2], ARGV[3])
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

return redis.error_reply('unknown step ' .. tostring(op))
