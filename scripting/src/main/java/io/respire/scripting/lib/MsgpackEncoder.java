package io.respire.scripting.lib;

import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Encodes Lua values as MessagePack the way lua-cmsgpack 0.4.0 does under Lua 5.1:
 * <ul>
 *   <li>A number whose value is an integer that fits in 64 bits is encoded as the smallest
 *       MessagePack integer; otherwise as a float 32 when converting to float loses nothing
 *       (including infinities), else as a float 64. Only the value counts, never whether LuaJ
 *       holds it as a LuaInteger or a LuaDouble.</li>
 *   <li>A table whose keys are exactly 1..n is an array, any other table a map (keys and values
 *       in table iteration order); an empty table is an empty array.</li>
 *   <li>Tables nested 16 deep (LUACMSGPACK_MAX_NESTING) are encoded as nil, so cyclic tables
 *       terminate.</li>
 *   <li>nil, functions, userdata (cjson.null too) and threads are encoded as nil.</li>
 * </ul>
 */
final class MsgpackEncoder {

    /** LUACMSGPACK_MAX_NESTING: tables this deep become nil. */
    static final int MAX_NESTING = 16;

    private final ByteBuilder out = new ByteBuilder();

    /** Appends the encoding of one top-level value. */
    void encode(LuaValue value) {
        encodeValue(value, 0);
    }

    LuaString result() {
        return out.toLuaString();
    }

    private void encodeValue(LuaValue value, int level) {
        switch (value.type()) {
            case LuaValue.TSTRING -> encodeBytes((LuaString) value);
            case LuaValue.TBOOLEAN -> out.append(value.toboolean() ? 0xc3 : 0xc2);
            case LuaValue.TNUMBER -> encodeNumber(value.todouble());
            case LuaValue.TTABLE -> {
                if (level == MAX_NESTING) {
                    out.append(0xc0);
                } else {
                    encodeTable((LuaTable) value, level);
                }
            }
            default -> out.append(0xc0);
        }
    }

    // ---------------------------------------------------------------- scalars

    private void encodeBytes(LuaString s) {
        int len = s.m_length;
        if (len < 32) {
            out.append(0xa0 | len);
        } else if (len <= 0xff) {
            out.append(0xd9).append(len);
        } else if (len <= 0xffff) {
            out.append(0xda);
            appendBigEndian(len, 2);
        } else {
            out.append(0xdb);
            appendBigEndian(len, 4);
        }
        out.append(s);
    }

    /** IS_INT64_EQUIVALENT: finite and unchanged by the C cast to int64_t. */
    private void encodeNumber(double n) {
        if (!Double.isInfinite(n) && (double) CNumbers.doubleToInt64(n) == n) {
            encodeInteger(CNumbers.doubleToInt64(n));
        } else {
            encodeDouble(n);
        }
    }

    private void encodeDouble(double d) {
        float f = (float) d;
        if (d == (double) f) {
            out.append(0xca);
            appendBigEndian(Float.floatToRawIntBits(f), 4);
        } else {
            out.append(0xcb);
            appendBigEndian(Double.doubleToRawLongBits(d), 8);
        }
    }

    private void encodeInteger(long n) {
        if (n >= 0) {
            encodeNonNegative(n);
        } else {
            encodeNegative(n);
        }
    }

    private void encodeNonNegative(long n) {
        if (n <= 127) {
            out.append((int) n);
        } else if (n <= 0xff) {
            out.append(0xcc).append((int) n);
        } else if (n <= 0xffff) {
            out.append(0xcd);
            appendBigEndian(n, 2);
        } else if (n <= 0xffffffffL) {
            out.append(0xce);
            appendBigEndian(n, 4);
        } else {
            out.append(0xcf);
            appendBigEndian(n, 8);
        }
    }

    private void encodeNegative(long n) {
        if (n >= -32) {
            out.append((int) n);
        } else if (n >= -128) {
            out.append(0xd0).append((int) n);
        } else if (n >= -32768) {
            out.append(0xd1);
            appendBigEndian(n, 2);
        } else if (n >= -2147483648L) {
            out.append(0xd2);
            appendBigEndian(n, 4);
        } else {
            out.append(0xd3);
            appendBigEndian(n, 8);
        }
    }

    private void appendBigEndian(long value, int size) {
        for (int shift = 8 * (size - 1); shift >= 0; shift -= 8) {
            out.append((int) (value >>> shift));
        }
    }

    // ---------------------------------------------------------------- tables

    private void encodeTable(LuaTable table, int level) {
        int arrayLength = arrayLength(table);
        if (arrayLength >= 0) {
            encodeArray(table, arrayLength, level);
        } else {
            encodeMap(table, level);
        }
    }

    /**
     * table_is_an_array: the number of elements when every key is a positive integer (fitting a
     * C int) and the largest key equals the key count, i.e. the keys are exactly 1..n;
     * -1 otherwise.
     */
    private static int arrayLength(LuaTable table) {
        int count = 0;
        int max = 0;
        LuaValue key = LuaValue.NIL;
        while (true) {
            Varargs entry = table.next(key);
            key = entry.arg1();
            if (key.isnil()) {
                break;
            }
            if (key.type() != LuaValue.TNUMBER) {
                return -1;
            }
            double n = key.todouble();
            if (n <= 0 || (double) CNumbers.doubleToInt32(n) != n) {
                return -1;
            }
            max = Math.max(max, (int) n);
            count++;
        }
        return max == count ? count : -1;
    }

    private void encodeArray(LuaTable table, int length, int level) {
        encodeContainerHeader(length, 0x90, 0xdc, 0xdd);
        for (int i = 1; i <= length; i++) {
            encodeValue(table.rawget(i), level + 1);
        }
    }

    private void encodeMap(LuaTable table, int level) {
        int size = 0;
        for (Varargs e = table.next(LuaValue.NIL); !e.arg1().isnil(); e = table.next(e.arg1())) {
            size++;
        }
        encodeContainerHeader(size, 0x80, 0xde, 0xdf);
        for (Varargs e = table.next(LuaValue.NIL); !e.arg1().isnil(); e = table.next(e.arg1())) {
            encodeValue(e.arg1(), level + 1);
            encodeValue(e.arg(2), level + 1);
        }
    }

    /** fixarray/fixmap up to 15 entries, then the 16-bit and 32-bit forms. */
    private void encodeContainerHeader(long n, int fixTag, int tag16, int tag32) {
        if (n <= 15) {
            out.append(fixTag | (int) n);
        } else if (n <= 0xffff) {
            out.append(tag16);
            appendBigEndian(n, 2);
        } else {
            out.append(tag32);
            appendBigEndian(n, 4);
        }
    }
}
