-- VoucherRush lot loader: see LoadLotScript in LotLoader.swift.
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HSET', KEYS[1], 'start', ARGV[1], 'end', ARGV[2], 'limit', ARGV[3], 'state', ARGV[4])
  redis.call('HINCRBY', KEYS[1], 'version', 1)
  return 0
end
redis.call('SET', KEYS[2], ARGV[6])
redis.call('SET', KEYS[3], ARGV[7])
redis.call('HSET', KEYS[1], 'start', ARGV[1], 'end', ARGV[2], 'limit', ARGV[3], 'state', ARGV[4], 'total', ARGV[5], 'version', 0)
return 1
