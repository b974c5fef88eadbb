-- Shared by every differential case; runs unchanged in Redis 7.0 and in LuaJ.
-- Renders results as text that does not depend on either VM's number printing or table order:
-- numbers as integers or the hex bytes of the double, strings with non-printables escaped,
-- tables as their sorted key=value pairs.
local unpack = unpack or table.unpack
local function hexs(s)
  local out = {}
  for i = 1, #s do out[i] = string.format('%02x', string.byte(s, i)) end
  return table.concat(out)
end
local function unhex(h)
  h = string.gsub(h, '%s+', '')
  return (string.gsub(h, '%x%x', function(x) return string.char(tonumber(x, 16)) end))
end
local function rstr(s)
  local out = {}
  for i = 1, #s do
    local b = string.byte(s, i)
    if b >= 32 and b < 127 and b ~= 92 then out[i] = string.char(b) else out[i] = string.format('\\%02x', b) end
  end
  return '"' .. table.concat(out) .. '"'
end
local function rnum(x)
  if x ~= x then return 'nan' end
  if x == math.floor(x) and x >= -2147483648 and x <= 2147483647 then return string.format('%d', x) end
  return 'd:' .. hexs(struct.pack('>d', x))
end
local repr
repr = function(v, depth)
  local t = type(v)
  if t == 'string' then return rstr(v)
  elseif t == 'number' then return rnum(v)
  elseif t == 'table' then
    if depth > 40 then return '{...}' end
    local items = {}
    for k, val in pairs(v) do items[#items + 1] = repr(k, depth + 1) .. '=' .. repr(val, depth + 1) end
    table.sort(items)
    return '{' .. table.concat(items, ',') .. '}'
  elseif v == cjson.null then return 'null'
  elseif t == 'boolean' or t == 'nil' then return tostring(v)
  else return '<' .. t .. '>' end
end
local function finish(ok, ...)
  local n = select('#', ...)
  local parts = {}
  for i = 1, n do parts[i] = repr((select(i, ...)), 0) end
  if ok then return 'OK(' .. n .. ') ' .. table.concat(parts, ' | ') end
  local e = ...
  if type(e) == 'string' then return 'ERR ' .. e end
  return 'ERR? ' .. tostring(parts[1])
end
-- Deterministic pseudo-random numbers (Park-Miller), identical in both VMs: only exact
-- double arithmetic, no math.random and no pow().
local function lcg(seed)
  local x = seed
  return function()
    x = (16807 * x) % 2147483647
    return x
  end
end
local function rnd_double(r)
  local v = (r() - 1073741823) / (r() % 1000 + 1)
  local e = r() % 70 - 35
  while e > 0 do v = v * 10 e = e - 1 end
  while e < 0 do v = v / 10 e = e + 1 end
  return v
end
local function rnd_number(r)
  local kind = r() % 6
  if kind == 0 then return r() - 1073741823
  elseif kind == 1 then return (r() - 1073741823) * r()
  elseif kind == 2 then return r() % 300 - 150
  elseif kind == 3 then return (r() % 2000 - 1000) / 8
  else return rnd_double(r) end
end
local function rnd_bytes(r, n, alphabet)
  local out = {}
  for i = 1, n do
    if alphabet then
      local k = r() % #alphabet + 1
      out[i] = alphabet[k]
    else
      out[i] = string.char(r() % 256)
    end
  end
  return table.concat(out)
end
-- An error message without its position, whichever VM wrote it ("user_script:3: " in Redis,
-- "@user_script:3 " in LuaJ); for fuzz cases that collect many messages into one result.
local function perr(e)
  if type(e) ~= 'string' then return repr(e, 0) end
  return (string.gsub(e, '^@?user_script:%d+:? ', ''))
end
local function outcome(ok, v)
  if ok then return 'ok ' .. repr(v, 0) end
  return 'err ' .. perr(v)
end
