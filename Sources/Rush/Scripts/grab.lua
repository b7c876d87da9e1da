-- VoucherRush grab script: see GrabScript.swift for KEYS, ARGV, the lot hash's fields and replies.
-- Four Redis calls on the way to a win (HMGET, TIME, XADD, HSET), two to any refusal after the
-- window opened: everything a decision reads is in the lot's one hash, read by one HMGET.
local call = redis.call
local ent, idem = ARGV[2], ARGV[3]
local m
if idem ~= '' then
  m = call('HMGET', KEYS[1], 'start', 'end', 'limit', 'state', 'total', 'stock', 'e:' .. ent, 'k:' .. ent .. ':' .. idem)
else
  m = call('HMGET', KEYS[1], 'start', 'end', 'limit', 'state', 'total', 'stock', 'e:' .. ent)
end
if not m[1] or not m[6] then return {'unknown_lot'} end
local startMs, endMs = tonumber(m[1]), tonumber(m[2])
if m[4] ~= 'open' then return {'ended', startMs, endMs} end
local t = call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if now < startMs then return {'not_open', startMs, endMs} end
if now >= endMs then return {'ended', startMs, endMs} end

-- `e:<org>` is "held|voucherId|grantedAtMs" of the enterprise's latest voucher.
local limit, held, again = tonumber(m[3]), 0, nil
if m[7] then
  local sep = string.find(m[7], '|', 1, true)
  held = tonumber(string.sub(m[7], 1, sep - 1))
  -- A retry without a key by an enterprise that may hold one voucher: that voucher again.
  if idem == '' and limit == 1 then again = string.sub(m[7], sep + 1) end
end
if idem ~= '' and m[8] then again = m[8] end
if again then
  local sep = string.find(again, '|', 1, true)
  return {'again', string.sub(again, 1, sep - 1), tonumber(string.sub(again, sep + 1))}
end
if held >= limit then return {'limit_reached', held} end
local stock = tonumber(m[6])
if stock <= 0 then return {'sold_out'} end

-- The sequence is what was issued so far plus one: total − stock (a restock keeps it).
local vid = ARGV[1] .. '-' .. (tonumber(m[5]) - stock + 1)
local n = held + 1
call('XADD', KEYS[2], '*', 'v', vid, 'lot', ARGV[1], 'ent', ent, 'n', n, 'at', now)
local record = vid .. '|' .. now
if idem ~= '' then
  call('HSET', KEYS[1], 'stock', stock - 1, 'e:' .. ent, n .. '|' .. record, 'k:' .. ent .. ':' .. idem, record)
else
  call('HSET', KEYS[1], 'stock', stock - 1, 'e:' .. ent, n .. '|' .. record)
end
return {'won', vid, now, stock - 1}
