-- Differential corpus: each case runs in Redis 7.0 and in LuaJ with Respire's libraries, and
-- both must render the same bytes (see RedisDifferentialTest and differential-prelude.lua).
-- Calls expected to fail are written as non-tail calls ("return (f(x))" or via a local),
-- because Lua 5.1 positions errors raised from a tail call and LuaJ does not.
-- Cases that change cjson settings use cjson.new(), so the shared cjson stays at its defaults.

-- ====================================================================== cjson: encode
-- @case cjson encode array
return cjson.encode({1, 2, 3})
-- @case cjson encode empty table is an object
return cjson.encode({})
-- @case cjson encode nested arrays
return cjson.encode({{}, {{}}, {1, {2, {3}}}})
-- @case cjson encode single-key objects
return cjson.encode({a = {b = {c = 'd'}}})
-- @case cjson encode scalars
return cjson.encode(true), cjson.encode(false), cjson.encode(nil), cjson.encode(cjson.null), cjson.encode('s'), cjson.encode(42)
-- @case cjson encode string escapes
return cjson.encode('q"b\\s/n\nt\tr\rb\bf\f')
-- @case cjson encode control characters and DEL
return cjson.encode(string.char(0, 1, 2, 7, 11, 14, 27, 31, 32, 126, 127))
-- @case cjson encode high bytes pass through
return cjson.encode('\195\169\226\130\172\240\159\152\128\128\255\254')
-- @case cjson encode every byte
local t = {}
for i = 0, 255 do t[#t + 1] = string.char(i) end
return cjson.encode(table.concat(t))
-- @case cjson encode integers
return cjson.encode({0, 1, -1, 100, 65536, 2147483647, -2147483648, 4294967296, 2^53, -2^53})
-- @case cjson encode fractions at precision 14
return cjson.encode({0.1, 0.5, 1/3, 2/3, -1.25, 3.14159265358979, 1e-5, 0.0001, 0.00001234})
-- @case cjson encode large and small magnitudes
return cjson.encode({1e14, 1e15, 1e16, 123456789012345678, 1e100, 1.5e300, 1.7976931348623157e308, 5e-324, 2^63, -2^63})
-- @case cjson encode rounding ties to 14 digits
return cjson.encode({99999999999999.5, 0.125, 2.5, 1.0000000000000049, 12345678901234.5})
-- @case cjson encode array with holes
return cjson.encode({1, nil, 3}), cjson.encode({[1] = 'a', [4] = 'd'})
-- @case cjson encode array of exactly safe size with one element
return cjson.encode({[10] = 1})
-- @case cjson encode excessively sparse array
local r = cjson.encode({[11] = 1})
return r
-- @case cjson encode sparse array with many items is fine
local t = {}
for i = 1, 20 do t[i] = i end
t[35] = 35
return cjson.encode(t)
-- @case cjson encode sparse by ratio
local r = cjson.encode({[1] = 1, [2] = 2, [30] = 30})
return r
-- @case cjson encode numeric object keys
return cjson.encode({[1.5] = 1}), cjson.encode({[-1] = 'x'}), cjson.encode({[0] = 0}), cjson.encode({[2^31] = 1}), cjson.encode({[1e300] = 1})
-- @case cjson encode huge integer key overflows the C int
return cjson.encode({[1e10] = 'x'})
-- @case cjson encode INT_MAX key is sparse
local r = cjson.encode({[2147483647] = 1})
return r
-- @case cjson encode mixed table becomes object
return cjson.decode(cjson.encode({1, 2, x = 'y'}))
-- @case cjson encode multi-key object round trip
local s = cjson.encode({alpha = 1, beta = {true, false}, gamma = 'g', [7] = 7})
return #s, cjson.decode(s)
-- @case cjson encode boolean key
local r = cjson.encode({[true] = 1})
return r
-- @case cjson encode table key
local r = cjson.encode({[{}] = 1})
return r
-- @case cjson encode userdata key
local r = cjson.encode({[cjson.null] = 1})
return r
-- @case cjson encode function value
local r = cjson.encode({f = function() end})
return r
-- @case cjson encode top-level function
local r = cjson.encode(string.len)
return r
-- @case cjson encode infinity refused
local r = cjson.encode({math.huge})
return r
-- @case cjson encode NaN refused
local r = cjson.encode(0/0)
return r
-- @case cjson encode infinite key refused
local r = cjson.encode({[-math.huge] = 1})
return r
-- @case cjson encode nesting 1000 is fine
local t = {}
local cur = t
for i = 1, 999 do cur[1] = {} cur = cur[1] end
return #cjson.encode(t)
-- @case cjson encode nesting 1001 fails
local t = {}
local cur = t
for i = 1, 1000 do cur[1] = {} cur = cur[1] end
local r = cjson.encode(t)
return r
-- @case cjson encode cyclic table hits the depth limit
local t = {}
t[1] = t
local r = cjson.encode(t)
return r
-- @case cjson encode without argument
local r = cjson.encode()
return r
-- @case cjson encode with two arguments
local r = cjson.encode(1, 2)
return r
-- ====================================================================== cjson: configuration
-- @case cjson module fields
return cjson._NAME, cjson._VERSION, type(cjson.null), tostring(cjson.null), type(cjson.new)
-- @case cjson default settings
local c = cjson.new()
return {c.encode_sparse_array()}, c.encode_max_depth(), c.decode_max_depth(), c.encode_number_precision(), c.encode_keep_buffer(), c.encode_invalid_numbers(), c.decode_invalid_numbers()
-- @case cjson encode_number_precision 3
local c = cjson.new()
return c.encode_number_precision(3), c.encode({1/3, 12345, 0.00012345, 2/3})
-- @case cjson encode_number_precision 1
local c = cjson.new()
c.encode_number_precision(1)
return c.encode({1/3, 15, 0.5, 95, 0.05})
-- @case cjson encode_number_precision out of range
local c = cjson.new()
local r = c.encode_number_precision(15)
return r
-- @case cjson encode_number_precision zero
local c = cjson.new()
local r = c.encode_number_precision(0)
return r
-- @case cjson encode_number_precision not a number
local c = cjson.new()
local r = c.encode_number_precision('x')
return r
-- @case cjson encode_number_precision numeric string and fraction
local c = cjson.new()
return c.encode_number_precision('5'), c.encode_number_precision(7.9), c.encode(1/3)
-- @case cjson encode_sparse_array convert
local c = cjson.new()
return c.encode_sparse_array(true), c.encode({[20] = 2})
-- @case cjson encode_sparse_array ratio 0 never sparse
local c = cjson.new()
return c.encode_sparse_array(false, 0), c.encode({[14] = 1})
-- @case cjson encode_sparse_array safe
local c = cjson.new()
c.encode_sparse_array(nil, nil, 3)
local ok, e = pcall(c.encode, {[5] = 1})
return c.encode({[3] = 1}), e
-- @case cjson encode_sparse_array by option names
local c = cjson.new()
return {c.encode_sparse_array('on', 3, 4)}, {c.encode_sparse_array('off')}
-- @case cjson encode_sparse_array invalid option
local c = cjson.new()
local r = c.encode_sparse_array('yes')
return r
-- @case cjson encode_sparse_array option compared as C string
local c = cjson.new()
return (c.encode_sparse_array('on\0ignored'))
-- @case cjson encode_sparse_array invalid option with binary
local c = cjson.new()
local r = c.encode_sparse_array('\255x')
return r
-- @case cjson encode_sparse_array table option
local c = cjson.new()
local r = c.encode_sparse_array({})
return r
-- @case cjson encode_sparse_array too many arguments
local c = cjson.new()
local r = c.encode_sparse_array(true, 2, 10, 4)
return r
-- @case cjson encode_sparse_array negative ratio names argument 1
local c = cjson.new()
local r = c.encode_sparse_array(nil, -1)
return r
-- @case cjson encode_sparse_array bad safe type
local c = cjson.new()
local r = c.encode_sparse_array(nil, nil, 'many')
return r
-- @case cjson encode_max_depth 2
local c = cjson.new()
local ok, e = pcall(c.encode, {{{}}})
return c.encode_max_depth(2), c.encode({{}}), e
-- @case cjson encode_max_depth zero
local c = cjson.new()
local r = c.encode_max_depth(0)
return r
-- @case cjson encode_max_depth too many arguments
local c = cjson.new()
local r = c.encode_max_depth(1, 2)
return r
-- @case cjson encode_invalid_numbers on
local c = cjson.new()
return c.encode_invalid_numbers(true), c.encode({math.huge, -math.huge, 0/0, -(0/0)})
-- @case cjson encode_invalid_numbers null
local c = cjson.new()
return c.encode_invalid_numbers('null'), c.encode({math.huge, 0/0, 1}), c.encode_invalid_numbers()
-- @case cjson encode_invalid_numbers inf keys
local c = cjson.new()
c.encode_invalid_numbers('on')
return c.encode({[math.huge] = 1})
-- @case cjson encode_invalid_numbers bad option
local c = cjson.new()
local r = c.encode_invalid_numbers('maybe')
return r
-- @case cjson encode_keep_buffer
local c = cjson.new()
return c.encode_keep_buffer(false), c.encode({1}), c.encode_keep_buffer('on'), c.encode_keep_buffer()
-- @case cjson encode_keep_buffer number option
local c = cjson.new()
local r = c.encode_keep_buffer(1)
return r
-- @case cjson new instances are independent
local a = cjson.new()
local b = a.new()
a.encode_number_precision(2)
return a.encode(1/3), b.encode(1/3), cjson.encode(1/3)
-- ====================================================================== cjson: decode
-- @case cjson decode array
return cjson.decode('[1,2,3]')
-- @case cjson decode nested document
return cjson.decode('{"a":{"b":[true,false,null]},"c":"d","e":[]}')
-- @case cjson decode null values
local t = cjson.decode('{"a":null,"b":[null,1]}')
return t, t.a == cjson.null, cjson.decode('null') == cjson.null
-- @case cjson decode scalars
return cjson.decode('true'), cjson.decode('false'), cjson.decode('"s"'), cjson.decode('12.5')
-- @case cjson decode whitespace
return cjson.decode(' \t\r\n[ 1 , { "a" : 2 } ] \n')
-- @case cjson decode string escapes
return cjson.decode('"\\"\\\\\\/\\b\\f\\n\\r\\t"')
-- @case cjson decode unicode escapes
return cjson.decode('"\\u0041\\u00e9\\u20ac\\ud83d\\ude00\\u0000x\\uFFFF"')
-- @case cjson decode lone high surrogate
local r = cjson.decode('"\\ud800"')
return r
-- @case cjson decode low surrogate first
local r = cjson.decode('"ab\\udc00\\ud800"')
return r
-- @case cjson decode bad hex in unicode escape
local r = cjson.decode('"\\u12g4"')
return r
-- @case cjson decode surrogate pair with bad low half
local r = cjson.decode('"\\ud800\\u0041"')
return r
-- @case cjson decode invalid escape
local r = cjson.decode('"a\\x"')
return r
-- @case cjson decode unterminated string
local r = cjson.decode('"abc')
return r
-- @case cjson decode raw control bytes in strings are kept
return cjson.decode('"a\tb\1c\255"')
-- @case cjson decode empty input
local r = cjson.decode('')
return r
-- @case cjson decode invalid token
local r = cjson.decode('x')
return r
-- @case cjson decode trailing comma in array
local r = cjson.decode('[1,]')
return r
-- @case cjson decode missing colon
local r = cjson.decode('{"a" 1}')
return r
-- @case cjson decode non-string key
local r = cjson.decode('{1:2}')
return r
-- @case cjson decode missing comma
local r = cjson.decode('[1 2]')
return r
-- @case cjson decode trailing comma in object
local r = cjson.decode('{"a":1,}')
return r
-- @case cjson decode bad object separator
local r = cjson.decode('{"a":1;"b":2}')
return r
-- @case cjson decode trailing garbage
local r = cjson.decode('[1] x')
return r
-- @case cjson decode two values
local r = cjson.decode('1 2')
return r
-- @case cjson decode truncated literals
local a = {pcall(cjson.decode, 'tru')}
local b = {pcall(cjson.decode, 'nul')}
local c = {pcall(cjson.decode, 'truex')}
local d = {pcall(cjson.decode, 'False')}
return a[2], b[2], c[2], d[2]
-- @case cjson decode form feed is not whitespace
local r = cjson.decode('\f[1]')
return r
-- @case cjson decode lenient numbers by default
return cjson.decode('[0x10, 010, +5, 1., 1.e2, -0, 1E2, 0.1, 1e-2, 0X1p4]')
-- @case cjson decode number overflow and underflow
return cjson.decode('[1e400, -1e400, 1e-400, 4.9e-324, 2.4703282292062328e-324]')
-- @case cjson decode long numbers
return cjson.decode('[12345678901234567890, 0.1000000000000000055511151231257827, 123456789012345678901234567890e-20]')
-- @case cjson decode inf and nan by default
return cjson.decode('[inf, -inf, Infinity, -INFINITY, nan, NaN, -nan]')
-- @case cjson decode leading dot is not a number
local r = cjson.decode('.5')
return r
-- @case cjson decode lone minus
local r = cjson.decode('[-]')
return r
-- @case cjson decode exponent without digits stops the number
local r = cjson.decode('1e')
return r
-- @case cjson decode_invalid_numbers off rejects plus
local c = cjson.new()
c.decode_invalid_numbers(false)
local r = c.decode('[+1]')
return r
-- @case cjson decode_invalid_numbers off rejects hex
local c = cjson.new()
c.decode_invalid_numbers('off')
local r = c.decode('[0x10]')
return r
-- @case cjson decode_invalid_numbers off rejects leading zero
local c = cjson.new()
c.decode_invalid_numbers(false)
local r = c.decode('01')
return r
-- @case cjson decode_invalid_numbers off rejects inf
local c = cjson.new()
c.decode_invalid_numbers(false)
local a = {pcall(c.decode, 'inf')}
local b = {pcall(c.decode, '-inf')}
local d = {pcall(c.decode, 'NaN')}
return a[2], b[2], d[2], c.decode('[0, -0.5, 10e2]')
-- @case cjson decode nesting 1000 is fine
local s = string.rep('[', 1000) .. string.rep(']', 1000)
return #cjson.encode(cjson.decode(s))
-- @case cjson decode nesting 1001 fails
local r = cjson.decode(string.rep('[', 1001))
return r
-- @case cjson decode nested objects limit
local r = cjson.decode(string.rep('{"a":', 1001))
return r
-- @case cjson decode_max_depth 2
local c = cjson.new()
c.decode_max_depth(2)
local r = c.decode('[[[1]]]')
return r
-- @case cjson decode duplicate keys keep the last
return cjson.decode('{"a":1,"a":2}')
-- @case cjson decode NUL ends the text
return cjson.decode('12\0garbage')
-- @case cjson decode UTF-16 refused
local r = cjson.decode('\0[\0]')
return r
-- @case cjson decode UTF-16 detected in second byte
local r = cjson.decode('[\0')
return r
-- @case cjson decode number argument
return cjson.decode(123), cjson.decode(1.5), cjson.decode(1e100)
-- @case cjson decode table argument
local r = cjson.decode({})
return r
-- @case cjson decode without argument
local r = cjson.decode()
return r
-- @case cjson decode with two arguments
local r = cjson.decode('1', '2')
return r
-- @case cjson round trip of every byte
local t = {}
for i = 0, 255 do t[#t + 1] = string.char(i) end
local s = table.concat(t)
return cjson.decode(cjson.encode(s)) == s
-- @case cjson re-encode decoded numbers
return cjson.encode(cjson.decode('[0.1, 1e21, 1e-7, 123.456e5, -0.0000001, 100000000000000000000]'))
-- @case cjson error through pcall of the function itself
local ok, e = pcall(cjson.decode, '[1,]')
return ok, e
-- ====================================================================== cmsgpack: pack
-- @case cmsgpack pack positive integers
local out = {}
for _, n in ipairs({0, 1, 127, 128, 255, 256, 65535, 65536, 4294967295, 4294967296, 2^53, 2^63 - 1024}) do
  out[#out + 1] = hexs(cmsgpack.pack(n))
end
return table.concat(out, ' ')
-- @case cmsgpack pack negative integers
local out = {}
for _, n in ipairs({-1, -32, -33, -128, -129, -32768, -32769, -2147483648, -2147483649, -2^53, -2^63}) do
  out[#out + 1] = hexs(cmsgpack.pack(n))
end
return table.concat(out, ' ')
-- @case cmsgpack pack floats
local out = {}
for _, n in ipairs({0.5, 0.1, 1.5, -2.25, 1e300, 1e20, 2^63, 2^64, -2^64, 3.4028234663852886e38, 1e-45, 1/3}) do
  out[#out + 1] = hexs(cmsgpack.pack(n))
end
return table.concat(out, ' ')
-- @case cmsgpack pack infinities and NaN
return hexs(cmsgpack.pack(math.huge)), hexs(cmsgpack.pack(-math.huge)), hexs(cmsgpack.pack(0/0)), hexs(cmsgpack.pack(-(0/0)))
-- @case cmsgpack pack negative zero
local z = 0
return hexs(cmsgpack.pack(-0.0)), hexs(cmsgpack.pack(-z)), hexs(cmsgpack.pack(0 * -1))
-- @case struct pack negative zero and NaN
local z = 0
return hexs(struct.pack('>d', -z)), hexs(struct.pack('<f', -z)), hexs(struct.pack('>d', 0/0)), hexs(struct.pack('>d', -(0/0)))
-- @case cmsgpack pack string lengths
local out = {}
for _, n in ipairs({0, 1, 31, 32, 255, 256, 65535, 65536}) do
  local p = cmsgpack.pack(string.rep('x', n))
  out[#out + 1] = hexs(string.sub(p, 1, 5)) .. '/' .. #p
end
return table.concat(out, ' ')
-- @case cmsgpack pack binary string
return hexs(cmsgpack.pack('\0\1\255'))
-- @case cmsgpack pack booleans nil and others
return hexs(cmsgpack.pack(true, false, nil, cjson.null, string.len))
-- @case cmsgpack pack arrays
return hexs(cmsgpack.pack({})), hexs(cmsgpack.pack({1, 2, 3})), hexs(cmsgpack.pack({{}, {{}}}))
-- @case cmsgpack pack array sizes
local out = {}
for _, n in ipairs({15, 16, 65535, 65536}) do
  local t = {}
  for i = 1, n do t[i] = 0 end
  local p = cmsgpack.pack(t)
  out[#out + 1] = hexs(string.sub(p, 1, 6)) .. '/' .. #p
end
return table.concat(out, ' ')
-- @case cmsgpack pack single-key maps
return hexs(cmsgpack.pack({a = 1})), hexs(cmsgpack.pack({[0] = true})), hexs(cmsgpack.pack({[2] = 'x'})), hexs(cmsgpack.pack({[1.5] = 1}))
-- @case cmsgpack pack map sizes
local out = {}
for _, n in ipairs({15, 16, 65536}) do
  local t = {}
  for i = 1, n do t['k' .. i] = i end
  local p = cmsgpack.pack(t)
  out[#out + 1] = hexs(string.sub(p, 1, 5)) .. '/' .. #p
end
return table.concat(out, ' ')
-- @case cmsgpack pack table with hole is a map
local p = cmsgpack.pack({1, nil, 3})
return #p, string.byte(p, 1), cmsgpack.unpack(p)
-- @case cmsgpack pack map round trip
local p = cmsgpack.pack({a = {1, 2, 3}, b = 'x', [3] = false, c = {d = {e = 1.5}}})
return #p, cmsgpack.unpack(p)
-- @case cmsgpack pack nesting limit
local t = {}
local cur = t
for i = 1, 20 do cur[1] = {} cur = cur[1] end
return hexs(cmsgpack.pack(t))
-- @case cmsgpack pack nesting limit inside maps
local t = {}
local cur = t
for i = 1, 18 do cur.k = {} cur = cur.k end
return hexs(cmsgpack.pack(t))
-- @case cmsgpack pack cyclic table terminates
local t = {}
t[1] = t
return hexs(cmsgpack.pack(t))
-- @case cmsgpack pack several values
return hexs(cmsgpack.pack(1, 'a', {}, true, 0.5))
-- @case cmsgpack pack without arguments
local r = cmsgpack.pack()
return r
-- @case cmsgpack pack 4000 arguments
return #cmsgpack.pack(unpack({}, 1, 4000))
-- @case cmsgpack pack 4001 arguments
local r = cmsgpack.pack(unpack({}, 1, 4001))
return r
-- @case cmsgpack module fields
return cmsgpack._NAME, cmsgpack._VERSION, cmsgpack._COPYRIGHT, cmsgpack._DESCRIPTION
-- ====================================================================== cmsgpack: unpack
-- @case cmsgpack unpack integers
return cmsgpack.unpack(unhex('00 7f cc80 ccff cd0100 cdffff ce00010000 ceffffffff cf0000000100000000 ff e0 d080 d1ff7f d28000 0000 d3fffffffffffffffe'))
-- @case cmsgpack unpack big uint64 comes back negative
return cmsgpack.unpack(unhex('cfffffffffffffffff cf8000000000000000 cf7fffffffffffffff'))
-- @case cmsgpack unpack floats
return cmsgpack.unpack(unhex('ca3f800000 cabf000000 ca7f800000 cb3fb999999999999a cb7fefffffffffffff'))
-- @case cmsgpack unpack float NaN
local v = cmsgpack.unpack(unhex('ca7fc00000'))
return v ~= v
-- @case cmsgpack unpack strings
return cmsgpack.unpack(unhex('a0 a3616263 d903787878 da0002797a db00000001ff'))
-- @case cmsgpack unpack nil and booleans
return cmsgpack.unpack(unhex('c0 c3 c2 c0'))
-- @case cmsgpack unpack arrays
return cmsgpack.unpack(unhex('90 9301029203 dc0002c3c2 dd00000001a178'))
-- @case cmsgpack unpack array with nil keeps a hole
return cmsgpack.unpack(unhex('9301c003'))
-- @case cmsgpack unpack maps
return cmsgpack.unpack(unhex('80 81a16101 de0001 01 02 df00000001 c3 91c2'))
-- @case cmsgpack unpack map with nil value
return cmsgpack.unpack(unhex('82a16101a162c0'))
-- @case cmsgpack unpack map float keys
return cmsgpack.unpack(unhex('82ca3fc0000001cb400000000000000002'))
-- @case cmsgpack unpack map with nil key
local r = cmsgpack.unpack(unhex('81c001'))
return r
-- @case cmsgpack unpack map with NaN key
local r = cmsgpack.unpack(unhex('81ca7fc0000001'))
return r
-- @case cmsgpack unpack empty string
return cmsgpack.unpack('')
-- @case cmsgpack unpack bin8 unsupported
local r = cmsgpack.unpack(unhex('c40161'))
return r
-- @case cmsgpack unpack reserved byte
local r = cmsgpack.unpack(unhex('01c1'))
return r
-- @case cmsgpack unpack fixext unsupported
local r = cmsgpack.unpack(unhex('d40101'))
return r
-- @case cmsgpack unpack truncated integer
local r = cmsgpack.unpack(unhex('cd00'))
return r
-- @case cmsgpack unpack truncated string
local r = cmsgpack.unpack(unhex('a56162'))
return r
-- @case cmsgpack unpack truncated str32
local r = cmsgpack.unpack(unhex('db000000ff61'))
return r
-- @case cmsgpack unpack truncated array
local r = cmsgpack.unpack(unhex('9301'))
return r
-- @case cmsgpack unpack truncated map
local r = cmsgpack.unpack(unhex('82a16101a162'))
return r
-- @case cmsgpack unpack huge array header with no data
local r = cmsgpack.unpack(unhex('ddffffffff'))
return r
-- @case cmsgpack unpack number argument
return cmsgpack.unpack(12)
-- @case cmsgpack unpack table argument
local r = cmsgpack.unpack({})
return r
-- @case cmsgpack unpack 7999 values
return select('#', cmsgpack.unpack(string.rep('\1', 7999)))
-- @case cmsgpack unpack 8000 values overflows the stack
local r = cmsgpack.unpack(string.rep('\1', 8000))
return r
-- @case cmsgpack unpack 3999 nested arrays
local v = cmsgpack.unpack(string.rep('\145', 3999) .. '\1')
return type(v)
-- @case cmsgpack unpack 4000 nested arrays overflows the stack
local r = cmsgpack.unpack(string.rep('\145', 4000) .. '\1')
return r
-- @case cmsgpack unpack deep maps
local v = cmsgpack.unpack(string.rep('\129\1', 2000) .. '\1')
return type(v)
-- @case cmsgpack unpack_one
local s = cmsgpack.pack(1, 'two', {3})
local o1, v1 = cmsgpack.unpack_one(s)
local o2, v2 = cmsgpack.unpack_one(s, o1)
local o3, v3 = cmsgpack.unpack_one(s, o2)
return o1, v1, o2, v2, o3, v3
-- @case cmsgpack unpack_one of empty string
return cmsgpack.unpack_one('')
-- @case cmsgpack unpack_one at the end offset
return cmsgpack.unpack_one('\1\2', 2)
-- @case cmsgpack unpack_one offset beyond the input
local r = cmsgpack.unpack_one('\1\2\3', 100)
return r
-- @case cmsgpack unpack_one negative offset
local r = cmsgpack.unpack_one('\1\2\3', -1)
return r
-- @case cmsgpack unpack_one bad offset type
local r = cmsgpack.unpack_one('\1', 'x')
return r
-- @case cmsgpack unpack_one then bad data
local s = cmsgpack.pack(1) .. '\193'
local o = cmsgpack.unpack_one(s)
local ok, e = pcall(cmsgpack.unpack_one, s, o)
return o, e
-- @case cmsgpack unpack_limit
local s = cmsgpack.pack(1, 2, 3, 4)
return {cmsgpack.unpack_limit(s, 2)}, {cmsgpack.unpack_limit(s, 2, 2)}, {cmsgpack.unpack_limit(s, 10, 1)}
-- @case cmsgpack unpack_limit zero decodes everything
return cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 0)
-- @case cmsgpack unpack_limit zero with offset returns only the offset
return cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 0, 1)
-- @case cmsgpack unpack_limit negative limit
local r = cmsgpack.unpack_limit('\1\2\3', -1)
return r
-- @case cmsgpack unpack_limit without limit
local r = cmsgpack.unpack_limit('\1\2\3')
return r
-- @case cmsgpack unpack_limit fractional limit truncates
return cmsgpack.unpack_limit('\1\2\3', 1.9)
-- @case cmsgpack round trip of mixed values
local p = cmsgpack.pack({1, 2.5, 'three', {four = 4}, true}, -7, 'x', 1e300)
return cmsgpack.unpack(p)
-- ====================================================================== bit
-- @case bit tobit
return bit.tobit(0), bit.tobit(1), bit.tobit(-1), bit.tobit(0xffffffff), bit.tobit(2^32 + 5), bit.tobit(2^31), bit.tobit(-2^31 - 1)
-- @case bit tobit rounds fractions to even
return bit.tobit(1.5), bit.tobit(2.5), bit.tobit(-1.5), bit.tobit(0.4999), bit.tobit(-0.5), bit.tobit(3.5)
-- @case bit tobit of large numbers
return bit.tobit(2^52), bit.tobit(2^52 + 3), bit.tobit(2^53 + 2), bit.tobit(1e20), bit.tobit(-1e20), bit.tobit(2^63)
-- @case bit tobit of infinities and NaN
return bit.tobit(math.huge), bit.tobit(-math.huge), bit.tobit(0/0)
-- @case bit tobit of numeric strings
return bit.tobit('10'), bit.tobit(' 0x10 '), bit.tobit('1e3'), bit.tobit('-7')
-- @case bit tobit of a non-number
local r = bit.tobit({})
return r
-- @case bit tobit of a non-numeric string
local r = bit.tobit('abc')
return r
-- @case bit tobit without argument
local r = bit.tobit()
return r
-- @case bit bnot
return bit.bnot(0), bit.bnot(-1), bit.bnot(0x12345678), bit.bnot(2^32)
-- @case bit band bor bxor
return bit.band(0xff, 0x0f, 0x3), bit.bor(1, 2, 4, 8), bit.bxor(5, 3), bit.bxor(0xffffffff, 1), bit.band(-1, 0x80000000), bit.bor(7)
-- @case bit band without arguments
local r = bit.band()
return r
-- @case bit bor bad second argument
local r = bit.bor(1, 'x')
return r
-- @case bit bxor reports the last bad argument first
local r = bit.bxor(1, nil, 'x')
return r
-- @case bit shifts
return bit.lshift(1, 0), bit.lshift(1, 31), bit.lshift(1, 32), bit.lshift(3, 33), bit.rshift(-1, 28), bit.rshift(0x80000000, 31), bit.arshift(-1, 28), bit.arshift(-256, 4), bit.arshift(0x7fffffff, 30)
-- @case bit shift counts are taken modulo 32
return bit.lshift(1, -1), bit.rshift(256, -28), bit.arshift(-8, 65)
-- @case bit rotations
return bit.rol(0x12345678, 4), bit.ror(0x12345678, 4), bit.rol(1, 31), bit.ror(1, 1), bit.rol(0x80000000, 1), bit.rol(5, 0), bit.ror(5, 32)
-- @case bit bswap
return bit.bswap(0x12345678), bit.bswap(1), bit.bswap(-1), bit.bswap(0xff)
-- @case bit shift without count
local r = bit.lshift(1)
return r
-- @case bit tohex default width
return bit.tohex(255), bit.tohex(-1), bit.tohex(0), bit.tohex(0x12345678), bit.tohex(2^32 + 10)
-- @case bit tohex widths
return bit.tohex(255, 2), bit.tohex(255, -2), bit.tohex(0x12345678, 4), bit.tohex(1, 0), bit.tohex(1, 20), bit.tohex(0xabcdef, -20), bit.tohex(-1, -8), bit.tohex(0x1234, 1)
-- @case bit tohex nil width
local r = bit.tohex(1, nil)
return r
-- @case bit tohex of a string
return bit.tohex('255'), bit.tohex('0xff', '2')
-- @case bit functions combined
local x = bit.bor(bit.lshift(0xab, 24), bit.lshift(0xcd, 16), bit.lshift(0xef, 8), 0x01)
return x, bit.tohex(x), bit.band(bit.rshift(x, 16), 0xff), bit.bnot(x)
-- ====================================================================== struct: pack
-- @case struct pack integers big endian
return hexs(struct.pack('>b B h H i I l L T', -1, 255, -2, 65535, -3, 4294967295, -4, 2^40, 7))
-- @case struct pack integers little endian
return hexs(struct.pack('<b B h H i I l L T', -1, 255, -2, 65535, -3, 4294967295, -4, 2^40, 7))
-- @case struct pack native order is little endian
return hexs(struct.pack('i h', 1, 2))
-- @case struct pack sized integers
return hexs(struct.pack('>i1 i2 i3 I5 i7 i8', -1, -2, 0x123456, 2^33 + 1, -5, 2^62))
-- @case struct pack integers wider than 8 bytes
return hexs(struct.pack('<i12', -1)), hexs(struct.pack('>I12', -1)), hexs(struct.pack('>i16', 1)), hexs(struct.pack('>I32', 2))
-- @case struct pack zero-size integer
return hexs(struct.pack('i0 b', 99, 1))
-- @case struct pack out of range values
return hexs(struct.pack('>i', 2^32)), hexs(struct.pack('>i', 3e9)), hexs(struct.pack('>b', 300)), hexs(struct.pack('>H', -1)), hexs(struct.pack('>i', 1.9)), hexs(struct.pack('>i', -1.9))
-- @case struct pack values beyond 64 bits
return hexs(struct.pack('>L', 2^64)), hexs(struct.pack('>L', 2^63)), hexs(struct.pack('>l', -2^64)), hexs(struct.pack('>L', math.huge)), hexs(struct.pack('>l', -math.huge)), hexs(struct.pack('>L', 0/0)), hexs(struct.pack('>L', 2^64 - 2048))
-- @case struct pack floats
return hexs(struct.pack('>f f <f d >d', 1.5, 0.1, 0.1, 1/3, -2.5))
-- @case struct pack float special values
return hexs(struct.pack('>f f d d', math.huge, -math.huge, math.huge, 1e-320)), hexs(struct.pack('>f', 1e300)), hexs(struct.pack('>f', 1e-50))
-- @case struct pack chars
return struct.pack('c3', 'abcdef'), struct.pack('c0', 'whole'), struct.pack('c', 'xyz'), struct.pack('c2c1', 'ab', 'c')
-- @case struct pack zero-terminated string
return hexs(struct.pack('s s', 'hi', '')), hexs(struct.pack('s', 'a\0b'))
-- @case struct pack chars from numbers
return struct.pack('c0', 5), struct.pack('c0', 1.5), struct.pack('c0', 1e100), struct.pack('c0', -0.25)
-- @case struct pack string too short
local r = struct.pack('c5', 'ab')
return r
-- @case struct pack string too short after an integer
local r = struct.pack('i c5', 1, 'ab')
return r
-- @case struct pack string expected
local r = struct.pack('s', {})
return r
-- @case struct pack padding
return hexs(struct.pack('x b x x', 1))
-- @case struct pack alignment
return hexs(struct.pack('!4 b i', 1, 2)), hexs(struct.pack('!8 b d', 1, 1)), hexs(struct.pack('!2 b i b h', 1, 2, 3, 4)), hexs(struct.pack('! b l', 1, 2))
-- @case struct pack alignment does not apply to chars
return hexs(struct.pack('!4 b c3 i', 1, 'abc', 2)), hexs(struct.pack('!4 b s i', 1, 'ab', 2))
-- @case struct pack odd sizes with alignment
return hexs(struct.pack('!8 b i3 b i6', 1, 2, 3, 4)), hexs(struct.pack('!4 b i12', 1, 2))
-- @case struct pack alignment not a power of 2
local r = struct.pack('!3 b', 1)
return r
-- @case struct pack alignment zero
local r = struct.pack('!0 b', 1)
return r
-- @case struct pack invalid option
local r = struct.pack('z', 1)
return r
-- @case struct pack invalid option digit
local r = struct.pack('5', 1)
return r
-- @case struct pack invalid option high byte
local r = struct.pack('\200', 1)
return r
-- @case struct pack integer size limit
local r = struct.pack('i33', 1)
return r
-- @case struct pack integer size 32 is fine
return #struct.pack('i32', 1)
-- @case struct pack integer size overflow
local r = struct.pack('i99999999999', 1)
return r
-- @case struct pack char count overflow
local r = struct.pack('c2147483648', 'x')
return r
-- @case struct pack missing argument
local r = struct.pack('i')
return r
-- @case struct pack missing second argument
local r = struct.pack('ii', 1)
return r
-- @case struct pack non-number argument
local r = struct.pack('i', 'x')
return r
-- @case struct pack numeric string argument
return hexs(struct.pack('>i', '0x10')), hexs(struct.pack('>d', ' 1.5 '))
-- @case struct pack format ends at NUL
return hexs(struct.pack('b\0b', 1, 2))
-- @case struct pack spaces and endian switches
return hexs(struct.pack(' > h < h > h ', 1, 1, 1))
-- @case struct pack empty format
return struct.pack(''), struct.pack('', 1, 2)
-- @case struct pack format must be a string
local r = struct.pack({})
return r
-- ====================================================================== struct: unpack
-- @case struct unpack integers
return struct.unpack('>b B h H i I', unhex('ff ff fffe ffff fffffffd ffffffff'))
-- @case struct unpack longs
return struct.unpack('<l L T', unhex('feffffffffffffff ffffffffffffffff 0100000000000000'))
-- @case struct unpack wide integers
return struct.unpack('>i9 >I9 <i12 >i16 >I3', unhex('018000000000000001 018000000000000001 ffffffffffffffffffffffff 00000000000000000000000000000005 123456'))
-- @case struct unpack zero-size integers
return struct.unpack('i0 I0', '')
-- @case struct unpack floats
return struct.unpack('>f <f >d <d', struct.pack('>f <f >d <d', 0.1, 1.5, 1/3, -1e300))
-- @case struct unpack float special values
local a, b, c = struct.unpack('>f f d', unhex('7f800000 ff800000 0000000000000001'))
return a, b, c
-- @case struct unpack chars
return struct.unpack('c2 c1', 'abcd')
-- @case struct unpack c0 takes the previous number
return struct.unpack('>I2 c0 b', '\0\5hello\7')
-- @case struct unpack c0 takes a numeric string
return struct.unpack('c1 c0', '3abcd')
-- @case struct unpack c0 without a previous value
local r = struct.unpack('c0', 'abc')
return r
-- @case struct unpack c0 after a non-numeric string
local r = struct.unpack('c1 c0', 'xabc')
return r
-- @case struct unpack c0 too long
local r = struct.unpack('b c0', '\9ab')
return r
-- @case struct unpack c0 negative length
local r = struct.unpack('b c0', '\255ab')
return r
-- @case struct unpack zero-terminated strings
return struct.unpack('s s b', 'hi\0\0\7')
-- @case struct unpack unfinished string
local r = struct.unpack('s', 'hi')
return r
-- @case struct unpack data too short
local r = struct.unpack('>i', 'abc')
return r
-- @case struct unpack positions
return {struct.unpack('b', 'abc', 1)}, {struct.unpack('b', 'abc', 3)}, {struct.unpack('b', 'abc', 2.9)}
-- @case struct unpack offset zero
local r = struct.unpack('b', 'abc', 0)
return r
-- @case struct unpack offset past the end
local r = struct.unpack('b', 'abc', 4)
return r
-- @case struct unpack negative offset
local r = struct.unpack('b', 'abc', -1)
return r
-- @case struct unpack control option past the end
local r = struct.unpack('>', 'abc', 10)
return r
-- @case struct unpack empty format returns the position
return struct.unpack('', 'abc'), struct.unpack('', 'abc', 4)
-- @case struct unpack padding and alignment
return struct.unpack('!4 b i x b', unhex('01 000000 02000000 00 03'))
-- @case struct unpack alignment from an offset
return struct.unpack('!4 i', unhex('00 00000000 05000000'), 2)
-- @case struct unpack invalid option
local r = struct.unpack('z', '')
return r
-- @case struct unpack missing data argument
local r = struct.unpack('b')
return r
-- @case struct unpack bad offset type
local r = struct.unpack('b', 'a', 'x')
return r
-- @case struct unpack 7997 results
return select('#', struct.unpack(string.rep('b', 7997), string.rep('a', 7997)))
-- @case struct unpack 7998 results overflow the stack
local r = struct.unpack(string.rep('b', 7998), string.rep('a', 7998))
return r
-- @case struct unpack many results with an extra argument
local r = struct.unpack(string.rep('b', 7997), string.rep('a', 7997), 1)
return r
-- @case struct round trip
local p = struct.pack('>!4 b h i d s c3 c0', -5, 300, -70000, 1.25, 'zero', 'abc', 'tail')
return #p, struct.unpack('>!4 b h i d s c3 c4', p)
-- ====================================================================== struct: size
-- @case struct size of simple formats
return struct.size('b'), struct.size('h'), struct.size('i'), struct.size('l'), struct.size('T'), struct.size('f'), struct.size('d'), struct.size('x'), struct.size('c7'), struct.size('i3')
-- @case struct size with alignment
return struct.size('!8 b d'), struct.size('!4 b d'), struct.size('! b h b i'), struct.size('!2 b i b')
-- @case struct size of a mixed format
return struct.size('>i2 d c3'), struct.size('<  b  b  '), struct.size('')
-- @case struct size ignores unknown letters
return struct.size('z'), struct.size('bqb'), struct.size('9')
-- @case struct size of s
local r = struct.size('s')
return r
-- @case struct size of c0
local r = struct.size('b c0')
return r
-- @case struct size invalid punctuation
local r = struct.size('?')
return r
-- @case struct size alignment error
local r = struct.size('!6 b')
return r
-- @case struct size integer limit
local r = struct.size('I40')
return r
-- ====================================================================== depth and stack limits
-- @case cjson encode arrays at the Lua stack limit
local c = cjson.new()
c.encode_max_depth(100000)
local function nest(n) local t = {} local cur = t for i = 1, n - 1 do cur[1] = {} cur = cur[1] end return t end
local ok, e = pcall(c.encode, nest(7998))
return #c.encode(nest(7997)), e
-- @case cjson encode objects at the Lua stack limit
local c = cjson.new()
c.encode_max_depth(100000)
local function nest(n) local t = {} local cur = t for i = 1, n - 1 do cur.k = {} cur = cur.k end return t end
local ok, e = pcall(c.encode, nest(4000))
return #c.encode(nest(3999)), e
-- @case cjson decode arrays at the Lua stack limit
local c = cjson.new()
c.decode_max_depth(100000)
local ok, e = pcall(c.decode, string.rep('[', 7999))
local ok2, e2 = pcall(c.decode, string.rep('[', 7998))
return e, e2
-- @case cjson decode objects at the Lua stack limit
local c = cjson.new()
c.decode_max_depth(100000)
local ok, e = pcall(c.decode, string.rep('{"a":', 4000))
local ok2, e2 = pcall(c.decode, string.rep('{"a":', 3999))
return e, e2
-- @case cjson decode deep valid document
local c = cjson.new()
c.decode_max_depth(100000)
local n = 5000
local t = c.decode(string.rep('[', n) .. '7' .. string.rep(']', n))
local d = 0
while type(t) == 'table' do t = t[1] d = d + 1 end
return d, t
-- @case cmsgpack unpack_one with a second argument counts one stack slot
return select('#', cmsgpack.unpack_limit(string.rep('\1', 7998), 8000))
-- @case cmsgpack unpack_limit at the stack limit
local r = cmsgpack.unpack_limit(string.rep('\1', 8000), 8000)
return r
-- @case cmsgpack unpack with extra arguments uses more stack
local r = cmsgpack.unpack(string.rep('\1', 7998), 1, 2)
return r
-- ====================================================================== seeded fuzz
-- @case cjson fuzz number formatting
local r = lcg(12345)
local t = {}
for i = 1, 400 do t[i] = rnd_number(r) end
return cjson.encode(t)
-- @case cjson fuzz number formatting at every precision
local r = lcg(777)
local c = cjson.new()
local out = {}
for p = 1, 14 do
  c.encode_number_precision(p)
  local t = {}
  for i = 1, 40 do t[i] = rnd_number(r) end
  out[p] = c.encode(t)
end
return table.concat(out, '\n')
-- @case cjson fuzz number parsing
local r = lcg(4242)
local digits = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9'}
local out = {}
for i = 1, 300 do
  local s = (r() % 3 == 0 and '-' or '') .. rnd_bytes(r, r() % 25 + 1, digits)
  if r() % 2 == 0 then s = s .. '.' .. rnd_bytes(r, r() % 25 + 1, digits) end
  if r() % 2 == 0 then s = s .. (r() % 2 == 0 and 'e' or 'E-') .. rnd_bytes(r, r() % 3 + 1, digits) end
  out[i] = repr(cjson.decode(s), 0)
end
return table.concat(out, ' ')
-- @case cjson fuzz token soup
local r = lcg(99)
local pieces = {'[', ']', '{', '}', ',', ':', '"a"', '"\\u00e9"', '"\\x"', '1', '-2.5e3', 'true', 'null', 'nul', ' ', '\t', 'x', '0x1F', 'inf', '"'}
local out = {}
for i = 1, 300 do
  local s = rnd_bytes(r, r() % 8 + 1, pieces)
  out[i] = outcome(pcall(cjson.decode, s))
end
return table.concat(out, '\n')
-- @case cjson fuzz string round trip and escaping
local r = lcg(2024)
local out = {}
for i = 1, 60 do
  local s = rnd_bytes(r, r() % 40)
  local e = cjson.encode(s)
  out[i] = e .. (cjson.decode(e) == s and '' or ' MISMATCH')
end
return table.concat(out, '\n')
-- @case cjson fuzz arrays with holes and sparse conversion
local r = lcg(31337)
local c = cjson.new()
c.encode_sparse_array(true, 3, 5)
local out = {}
for i = 1, 100 do
  local t = {}
  t[r() % 30 + 1] = 'v'
  out[i] = outcome(pcall(c.encode, t)) .. ' ' .. outcome(pcall(cjson.encode, t))
end
return table.concat(out, '\n')
-- @case cmsgpack fuzz numbers
local r = lcg(555)
local out = {}
for i = 1, 400 do out[i] = hexs(cmsgpack.pack(rnd_number(r))) end
return table.concat(out, ' ')
-- @case cmsgpack fuzz round trip of numbers
local r = lcg(556)
local t = {}
for i = 1, 300 do t[i] = rnd_number(r) end
local u = cmsgpack.unpack(cmsgpack.pack(t))
local out = {}
for i = 1, 300 do out[i] = rnum(u[i]) end
return table.concat(out, ' ')
-- @case cmsgpack fuzz random bytes
local r = lcg(8080)
local out = {}
for i = 1, 300 do
  local s = rnd_bytes(r, r() % 12 + 1)
  out[i] = hexs(s) .. ' ' .. outcome(pcall(function() return {cmsgpack.unpack(s)} end))
end
return table.concat(out, '\n')
-- @case cmsgpack fuzz unpack_one offsets
local r = lcg(8081)
local s = cmsgpack.pack(1, 'abc', {1, 2}, -5, 0.25, {x = 1}, true)
local out = {}
for i = 1, 60 do
  local o = r() % (#s + 3) - 1
  local ok, a, b = pcall(cmsgpack.unpack_one, s, o)
  out[i] = o .. ' ' .. (ok and '' or 'err ') .. perr(a) .. ' ' .. repr(b, 0)
end
return table.concat(out, '\n')
-- @case bit fuzz
local r = lcg(1)
local out = {}
for i = 1, 200 do
  local a = rnd_number(r)
  local b = rnd_number(r)
  local n = r() % 40 - 4
  out[i] = table.concat({bit.tohex(bit.tobit(a)), bit.tohex(bit.band(a, b)), bit.tohex(bit.bor(a, b)), bit.tohex(bit.bxor(a, b)),
    bit.tohex(bit.lshift(a, n)), bit.tohex(bit.rshift(a, n)), bit.tohex(bit.arshift(a, n)), bit.tohex(bit.rol(a, n)),
    bit.tohex(bit.ror(a, n)), bit.tohex(bit.bswap(a)), bit.tohex(bit.bnot(a), n - 10)}, ',')
end
return table.concat(out, '\n')
-- @case struct fuzz integer packing
local r = lcg(7)
local formats = {'>b', '<B', '>h', '<H', '>i', '<I', '>l', '<L', '>i3', '<I5', '>i7', '<i9', '>I16', 'T'}
local out = {}
for i = 1, 300 do
  local f = formats[r() % #formats + 1]
  local v = rnd_number(r)
  out[i] = f .. ' ' .. hexs(struct.pack(f, v)) .. ' ' .. rnum((struct.unpack(f, struct.pack(f, v))))
end
return table.concat(out, '\n')
-- @case struct fuzz float packing
local r = lcg(8)
local out = {}
for i = 1, 200 do
  local v = rnd_number(r)
  local p = struct.pack('>f <d', v, v)
  local a, b = struct.unpack('>f <d', p)
  out[i] = hexs(p) .. ' ' .. rnum(a) .. ' ' .. rnum(b)
end
return table.concat(out, '\n')
-- @case struct fuzz random formats
local r = lcg(9)
local opts = {'b', 'B', 'h', 'H', 'i', 'I', 'l', 'L', 'T', 'f', 'd', 'x', 'c', 'c2', 'c0', 's', '!', '!2', '!4', '!3', '>', '<', ' ', 'i3', 'I10', 'z', '4', '!16'}
local out = {}
for i = 1, 300 do
  local fmt = rnd_bytes(r, r() % 6 + 1, opts)
  local data = rnd_bytes(r, r() % 24)
  local a = outcome(pcall(function() return {struct.unpack(fmt, data)} end))
  local b = outcome(pcall(function() return struct.size(fmt) end))
  out[i] = fmt .. ' | ' .. a .. ' | ' .. b
end
return table.concat(out, '\n')
-- @case struct fuzz pack with random formats
local r = lcg(10)
local opts = {'b', 'h', 'i', 'l', 'f', 'd', 'x', 'c3', 'c0', 's', '!', '!4', '>', '<', 'i5'}
local out = {}
for i = 1, 200 do
  local fmt = rnd_bytes(r, r() % 5 + 1, opts)
  local args = {}
  for k = 1, 6 do args[k] = (r() % 3 == 0) and 'abcd' or (r() % 200 - 100) end
  local ok, v = pcall(function() return struct.pack(fmt, unpack(args)) end)
  out[i] = fmt .. ' | ' .. (ok and ('ok ' .. hexs(v)) or ('err ' .. perr(v)))
end
return table.concat(out, '\n')
-- @case cjson fuzz multi-key objects have the same content
-- Key order of objects with several hash keys follows each VM's table layout, so this
-- compares what was encoded, not the order it was written in.
local r = lcg(4711)
local out = {}
for n = 1, 150 do
  local t = {}
  for i = 1, r() % 12 + 1 do t[rnd_bytes(r, r() % 6 + 1, {'a', 'b', 'c', 'd', 'e', 'f', 'g'})] = rnd_number(r) end
  if r() % 3 == 0 then t[r() % 20 + 1] = 'n' end
  local s = cjson.encode(t)
  out[n] = #s .. ' ' .. repr(cjson.decode(s), 0)
end
return table.concat(out, '\n')
-- @case cmsgpack fuzz multi-key maps have the same content
local r = lcg(4712)
local out = {}
for n = 1, 150 do
  local t = {}
  for i = 1, r() % 20 + 1 do t[rnd_bytes(r, r() % 4 + 1, {'a', 'b', 'c', 'd', 'e'})] = {rnd_number(r), rnd_bytes(r, 2)} end
  t[r() % 10 + 1] = true
  local s = cmsgpack.pack(t)
  out[n] = #s .. ' ' .. string.byte(s, 1) .. ' ' .. repr(cmsgpack.unpack(s), 0)
end
return table.concat(out, '\n')
