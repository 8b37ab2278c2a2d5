-- One step of the authorization-code store on Redis (store.RedisAuthorizationCodeStore), atomically.
-- A code is a hash <prefix>:code:<code hash> of its fields (epoch ms for times; absent = null),
-- kept for an hour past its expiry, so that a replay is still recognised and revokes what it got.
-- ARGV[1] is the step; KEYS[1] is the code's key.
local op = ARGV[1]

if op == 'insert' then
  -- ARGV: ms to keep it, then field, value, ...
  redis.call('HSET', KEYS[1], unpack(ARGV, 3))
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end

if op == 'use' then
  -- ARGV: when, the access token's id, its expiry, the refresh family ('' = none): what the exchange
  -- is about to issue. 1 when this call used it; 0 when it is gone or was used before.
  if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HSETNX', KEYS[1], 'used', ARGV[2]) == 0 then
    return 0
  end
  redis.call('HSET', KEYS[1], 'access_jti', ARGV[3], 'access_exp', ARGV[4])
  if ARGV[5] ~= '' then
    redis.call('HSET', KEYS[1], 'family', ARGV[5])
  end
  return 1
end

if op == 'replay' then
  -- ARGV: when. Marks a used code as presented again, the first time only.
  if redis.call('HEXISTS', KEYS[1], 'used') == 0 then
    return 0
  end
  return redis.call('HSETNX', KEYS[1], 'replayed', ARGV[2])
end

return redis.error_reply('unknown step ' .. tostring(op))
