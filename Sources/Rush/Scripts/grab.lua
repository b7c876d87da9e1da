-- VoucherRush grab script: see GrabScript.swift for KEYS, ARGV, the lot hash's fields and replies.
-- Decides one or more grabs of one lot in the order given, atomically: a batch reads the lot's
-- one hash once (one HMGET for the lot and every enterprise in it), reads TIME once, appends one
-- stream entry per voucher and writes the hash once (one HSET), so it costs one script call, one
-- reply and one AOF write for all its grabs.
local call = redis.call
local lotID = ARGV[1]
local count = (#ARGV - 1) / 2
local fields = {'start', 'end', 'limit', 'state', 'total', 'stock'}
for i = 1, count do
  local ent, idem = ARGV[2 * i], ARGV[2 * i + 1]
  fields[6 + 2 * i - 1] = 'e:' .. ent
  if idem ~= '' then fields[6 + 2 * i] = 'k:' .. ent .. ':' .. idem else fields[6 + 2 * i] = 'e:' .. ent end
end
local m = call('HMGET', KEYS[1], unpack(fields))
local replies = {}
local refusal, now
if not m[1] or not m[6] then
  refusal = {'unknown_lot'}
else
  local startMs, endMs = tonumber(m[1]), tonumber(m[2])
  if m[4] ~= 'open' then
    refusal = {'ended', startMs, endMs}
  else
    local t = call('TIME')
    now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
    if now < startMs then refusal = {'not_open', startMs, endMs} elseif now >= endMs then refusal = {'ended', startMs, endMs} end
  end
end
if refusal then
  for i = 1, count do replies[i] = refusal end
  return replies
end

local limit, total, stock = tonumber(m[3]), tonumber(m[5]), tonumber(m[6])
-- What this batch wrote, by field: a later grab of the same enterprise reads it, not the HMGET.
local written, changed = {}, {}
for i = 1, count do
  local ent, idem = ARGV[2 * i], ARGV[2 * i + 1]
  local entField = fields[6 + 2 * i - 1]
  -- `e:<org>` is "held|voucherId|grantedAtMs" of the enterprise's latest voucher.
  local latest = written[entField]
  if latest == nil then latest = m[6 + 2 * i - 1] end
  local held, again = 0, nil
  if latest then
    local sep = string.find(latest, '|', 1, true)
    held = tonumber(string.sub(latest, 1, sep - 1))
    -- A retry without a key by an enterprise that may hold one voucher: that voucher again.
    if idem == '' and limit == 1 then again = string.sub(latest, sep + 1) end
  end
  if idem ~= '' then
    again = written[fields[6 + 2 * i]]
    if again == nil then again = m[6 + 2 * i] end
  end
  if again then
    local sep = string.find(again, '|', 1, true)
    replies[i] = {'again', string.sub(again, 1, sep - 1), tonumber(string.sub(again, sep + 1))}
    -- Write the field read back unchanged: the call then replicates, so a WAIT after it covers the
    -- claim this answer repeats, whichever connection wrote that claim (see GrabReplication).
    local againField = fields[6 + 2 * i]
    if written[againField] == nil then
      changed[#changed + 1] = againField
      if idem == '' then written[againField] = latest else written[againField] = again end
    end
  elseif held >= limit then
    replies[i] = {'limit_reached', held}
  elseif stock <= 0 then
    replies[i] = {'sold_out'}
  else
    -- The sequence is what was issued so far plus one: total − stock (a restock keeps it).
    local vid = lotID .. '-' .. (total - stock + 1)
    local n = held + 1
    call('XADD', KEYS[2], '*', 'v', vid, 'lot', lotID, 'ent', ent, 'n', n, 'at', now)
    stock = stock - 1
    local record = vid .. '|' .. now
    if written[entField] == nil then changed[#changed + 1] = entField end
    written[entField] = n .. '|' .. record
    if idem ~= '' then
      if written[fields[6 + 2 * i]] == nil then changed[#changed + 1] = fields[6 + 2 * i] end
      written[fields[6 + 2 * i]] = record
    end
    replies[i] = {'won', vid, now, stock}
  end
end
if #changed > 0 then
  local args = {'stock', stock}
  for _, field in ipairs(changed) do
    args[#args + 1] = field
    args[#args + 1] = written[field]
  end
  call('HSET', KEYS[1], unpack(args))
end
return replies
