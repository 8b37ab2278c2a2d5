-- One step of the refresh-token store on Redis (store.RedisRefreshTokenStore), atomically.
-- A token is a hash <prefix>:refresh:<token hash> of its fields (epoch ms for times; absent = null)
-- that expires with its family; <prefix>:refresh-family:<family id> is the set of its family's
-- token hashes, which expires with them; <prefix>:refresh-user:<user id> and
-- <prefix>:refresh-session:<sid> are the sets of family ids of a user and of a session, which
-- last as long as their longest family. A revoked family's set holds the member '!revoked': no
-- token is stored in it, nor used from it, again.
-- ARGV[1] is the step; KEYS and the other ARGV are the step's own, named below.
local op = ARGV[1]

-- Adds a member to a set that must live at least ttl ms.
local function index(key, member, ttl)
  redis.call('SADD', key, member)
  if redis.call('PTTL', key) < tonumber(ttl) then
    redis.call('PEXPIRE', key, ttl)
  end
end

local REVOKED = '!revoked'

if op == 'insert' then
  -- KEYS: token, family, user's families, session's families (absent without a session).
  -- ARGV: token hash, ms to the family's end, family id, then field, value, ...
  -- 1 when stored; 0 when the family is revoked (nothing stored).
  if redis.call('SISMEMBER', KEYS[2], REVOKED) == 1 then
    return 0
  end
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

-- Marks a family revoked and answers, for each of its tokens still stored, its hash then the
-- values of the fields asked for.
local function revoke_family(family_key, when, token_prefix, fields, out)
  redis.call('SADD', family_key, REVOKED)
  if redis.call('PTTL', family_key) == -1 then
    -- A family revoked before its first token was stored (a replayed code whose exchange is still
    -- issuing): the mark must outlast that exchange, and then go.
    redis.call('PEXPIRE', family_key, 86400000)
  end
  for _, hash in ipairs(redis.call('SMEMBERS', family_key)) do
    local key = token_prefix .. hash
    if hash ~= REVOKED and redis.call('EXISTS', key) == 1 then
      redis.call('HSETNX', key, 'revoked', when)
      local token = redis.call('HMGET', key, unpack(fields)) -- a missing field is false, answered as nil
      table.insert(token, 1, hash)
      out[#out + 1] = token
    end
  end
end

if op == 'revoke-family' then
  -- KEYS: family. ARGV: when, the token keys' prefix, then the fields to answer.
  local out = {}
  revoke_family(KEYS[1], ARGV[2], ARGV[3], { unpack(ARGV, 4) }, out)
  return out
end

if op == 'revoke-families' then
  -- KEYS: a user's or a session's families. ARGV: when, the token keys' prefix, the family keys'
  -- prefix, then the fields to answer. Answers every token of those families, as revoke-family does.
  local out = {}
  local fields = { unpack(ARGV, 5) }
  for _, family in ipairs(redis.call('SMEMBERS', KEYS[1])) do
    revoke_family(ARGV[4] .. family, ARGV[2], ARGV[3], fields, out)
  end
  return out
end

if op == 'revoke-client-families' then
  -- KEYS: a user's families. ARGV: when, the token keys' prefix, the family keys' prefix, the client id,
  -- then the fields to answer. Revokes the families one of whose tokens names that client (a family's
  -- tokens all do), and answers their tokens as revoke-family does.
  local out = {}
  local fields = { unpack(ARGV, 6) }
  for _, family in ipairs(redis.call('SMEMBERS', KEYS[1])) do
    local family_key = ARGV[4] .. family
    for _, hash in ipairs(redis.call('SMEMBERS', family_key)) do
      local client = hash ~= REVOKED and redis.call('HGET', ARGV[3] .. hash, 'client')
      if client then
        if client == ARGV[5] then
          revoke_family(family_key, ARGV[2], ARGV[3], fields, out)
        end
        break
      end
    end
  end
  return out
end

if op == 'family-revoked' then
  -- KEYS: family. 1 when it is revoked.
  return redis.call('SISMEMBER', KEYS[1], REVOKED)
end

return redis.error_reply('unknown step ' .. tostring(op))
