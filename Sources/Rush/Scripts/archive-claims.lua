-- VoucherRush archive script: frees a campaign's claim stream (its consumer group goes with the
-- key) only if it is still as `campaign verify` saw it: the same length, every entry delivered to
-- the sink's group, none pending. All in one script, so a claim that arrives between the verify
-- and the delete keeps the stream. UNLINK frees the memory off Redis's main thread.
-- KEYS[1] stream; ARGV[1] group; ARGV[2] the length verified.
-- Replies {'deleted', length} or {'changed', reason}.
local length = redis.call('XLEN', KEYS[1])
if length ~= tonumber(ARGV[2]) then
  return {'changed', 'the stream holds ' .. length .. ' entries, not the ' .. ARGV[2] .. ' verified'}
end
if length > 0 then
  local delivered, pending
  for _, group in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
    local fields = {}
    for i = 1, #group - 1, 2 do fields[group[i]] = group[i + 1] end
    if fields['name'] == ARGV[1] then delivered, pending = fields['last-delivered-id'], fields['pending'] end
  end
  if not delivered then return {'changed', 'the stream has no ' .. ARGV[1] .. ' group'} end
  if pending ~= 0 then return {'changed', pending .. ' entries are pending'} end
  if #redis.call('XRANGE', KEYS[1], '(' .. delivered, '+', 'COUNT', 1) > 0 then
    return {'changed', 'entries after ' .. delivered .. ' are not read by the sink'}
  end
end
redis.call('UNLINK', KEYS[1])
return {'deleted', length}
