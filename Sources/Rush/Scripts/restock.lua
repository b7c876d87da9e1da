-- VoucherRush restock script: see RestockScript in GrabScript.swift.
local total = tonumber(redis.call('HGET', KEYS[1], 'total') or '-1')
if total < 0 then return {'unknown_lot'} end
local remaining = tonumber(redis.call('GET', KEYS[2]) or '0')
local issued = total - remaining
local newTotal = tonumber(ARGV[1])
if newTotal < issued then return {'below_issued', issued} end
redis.call('HSET', KEYS[1], 'total', newTotal)
redis.call('SET', KEYS[2], newTotal - issued)
redis.call('HINCRBY', KEYS[1], 'version', 1)
return {'ok', newTotal - issued}
