-- VoucherRush lot loader: see LoadLotScript in LotLoader.swift.
if redis.call('HEXISTS', KEYS[1], 'stock') == 1 then
  redis.call('HSET', KEYS[1], 'start', ARGV[1], 'end', ARGV[2], 'limit', ARGV[3], 'state', ARGV[4])
  redis.call('HINCRBY', KEYS[1], 'version', 1)
  return 0
end
if redis.call('HEXISTS', KEYS[1], 'total') == 1 then
  -- A lot loaded before the one-hash layout (stock, counts, grants and sequence in keys of their
  -- own): move its stock, counts, latest grants and idempotency records into the lot's hash,
  -- then drop the old keys.
  redis.call('HSET', KEYS[1], 'stock', tonumber(redis.call('GET', KEYS[2]) or '0'))
  local counts = redis.call('HGETALL', KEYS[3])
  for i = 1, #counts, 2 do
    local latest = redis.call('HGET', KEYS[4], counts[i] .. ':' .. counts[i + 1])
    if latest then redis.call('HSET', KEYS[1], 'e:' .. counts[i], counts[i + 1] .. '|' .. latest) end
  end
  local grants = redis.call('HGETALL', KEYS[4])
  for i = 1, #grants, 2 do
    if string.sub(grants[i], 1, 2) == 'k:' then redis.call('HSET', KEYS[1], grants[i], grants[i + 1]) end
  end
  redis.call('DEL', KEYS[2], KEYS[3], KEYS[4], KEYS[5])
  redis.call('HSET', KEYS[1], 'start', ARGV[1], 'end', ARGV[2], 'limit', ARGV[3], 'state', ARGV[4])
  redis.call('HINCRBY', KEYS[1], 'version', 1)
  return 2
end
redis.call('HSET', KEYS[1], 'start', ARGV[1], 'end', ARGV[2], 'limit', ARGV[3], 'state', ARGV[4], 'total', ARGV[5], 'stock', ARGV[6], 'version', 0)
return 1
