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
  -- ARGV: when. 1 when this call used it; 0 when it is gone or was used before.
  if redis.call('EXISTS', KEYS[1]) == 0 then
    return 0
  end
  return redis.call('HSETNX', KEYS[1], 'used', ARGV[2])
end

if op == 'issued' then
  -- ARGV: the access token's id, its expiry, the refresh family ('' = none).
  if redis.call('EXISTS', KEYS[1]) == 0 then
    return 0
  end
  redis.call('HSET', KEYS[1], 'access_jti', ARGV[2], 'access_exp', ARGV[3])
  if ARGV[4] ~= '' then
    redis.call('HSET', KEYS[1], 'family', ARGV[4])
  end
  return 1
end

return redis.error_reply('unknown step ' .. tostring(op))
