-- VoucherRush restock script: see RestockScript in GrabScript.swift.
local lot = redis.call('HMGET', KEYS[1], 'total', 'stock')
if not lot[1] or not lot[2] then return {'unknown_lot'} end
local total, remaining = tonumber(lot[1]), tonumber(lot[2])
local issued = total - remaining
local newTotal = tonumber(ARGV[1])
if newTotal < issued then return {'below_issued', issued} end
redis.call('HSET', KEYS[1], 'total', newTotal, 'stock', newTotal - issued)
redis.call('HINCRBY', KEYS[1], 'version', 1)
return {'ok', newTotal - issued}
