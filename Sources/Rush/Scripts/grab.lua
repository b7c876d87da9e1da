-- VoucherRush grab script: see GrabScript.swift for KEYS, ARGV and replies.
local meta = redis.call('HMGET', KEYS[1], 'start', 'end', 'limit', 'state')
if not meta[1] then return {'unknown_lot'} end
local startMs, endMs, limit = tonumber(meta[1]), tonumber(meta[2]), tonumber(meta[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if meta[4] ~= 'open' then return {'ended', startMs, endMs} end
if now < startMs then return {'not_open', startMs, endMs} end
if now >= endMs then return {'ended', startMs, endMs} end

local ent, idem = ARGV[2], ARGV[3]
local held = tonumber(redis.call('HGET', KEYS[3], ent) or '0')
if idem ~= '' then
  local again = redis.call('HGET', KEYS[4], 'k:' .. ent .. ':' .. idem)
  if again then
    local sep = string.find(again, '|', 1, true)
    return {'again', string.sub(again, 1, sep - 1), tonumber(string.sub(again, sep + 1))}
  end
elseif held >= limit and limit == 1 then
  -- A retry without a key by an enterprise that may hold one voucher: the same voucher again.
  local again = redis.call('HGET', KEYS[4], ent .. ':1')
  if again then
    local sep = string.find(again, '|', 1, true)
    return {'again', string.sub(again, 1, sep - 1), tonumber(string.sub(again, sep + 1))}
  end
end
if held >= limit then return {'limit_reached', held} end

local stock = tonumber(redis.call('GET', KEYS[2]) or '0')
if stock <= 0 then return {'sold_out'} end

local seq = tonumber(redis.call('GET', KEYS[5]) or '0') + 1
local vid = ARGV[1] .. '-' .. seq
local n = held + 1
redis.call('XADD', KEYS[6], '*', 'v', vid, 'lot', ARGV[1], 'ent', ent, 'n', n, 'at', now)
redis.call('DECR', KEYS[2])
redis.call('SET', KEYS[5], seq)
redis.call('HSET', KEYS[3], ent, n)
local record = vid .. '|' .. now
redis.call('HSET', KEYS[4], ent .. ':' .. n, record)
if idem ~= '' then redis.call('HSET', KEYS[4], 'k:' .. ent .. ':' .. idem, record) end
return {'won', vid, now, stock - 1}
