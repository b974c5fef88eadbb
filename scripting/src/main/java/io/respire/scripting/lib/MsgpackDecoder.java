package io.respire.scripting.lib;

import java.util.ArrayDeque;
import java.util.Deque;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * Decodes MessagePack into Lua values the way lua-cmsgpack 0.4.0 does under Redis's Lua 5.1.
 *
 * <ul>
 *   <li>Every number becomes a Lua number (a double). uint 64 values above 2^63 come back
 *       negative, because the C code pushes them as a signed lua_Integer.</li>
 *   <li>str 8/16/32 and fixstr become strings; bin, ext and the reserved byte 0xc1 are "Bad data
 *       format in input."; a truncated object is "Missing bytes in input.".</li>
 *   <li>Arrays become tables indexed from 1 (nil elements leave holes); maps become tables, where
 *       a nil or NaN key is Lua's own "table index is nil/NaN" error.</li>
 * </ul>
 * The decoder also counts the Lua stack slots the C code would be using, because Lua 5.1 caps
 * them at LUAI_MAXCSTACK: that cap is what stops deeply nested or very long inputs in Redis,
 * with a "stack overflow (...)" error.
 */
final class MsgpackDecoder {

    private static final String TOO_MANY_VALUES =
            "too many return values at once; use unpack_one or unpack_limit instead.";

    /** The input ran out in the middle of an object. */
    private static final class Truncated extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Truncated() {
            super(null, null, false, false);
        }
    }

    /** A first byte that starts no type lua-cmsgpack knows. */
    private static final class BadFormat extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadFormat() {
            super(null, null, false, false);
        }
    }

    private final byte[] bytes;
    private final int end;
    private int pos;
    /** Lua stack slots in use, as in the C implementation. */
    private int stack;

    MsgpackDecoder(LuaString input, int offset, int stackUsed) {
        this.bytes = input.m_bytes;
        this.pos = input.m_offset + offset;
        this.end = input.m_offset + input.m_length;
        this.stack = stackUsed;
    }

    int remaining() {
        return end - pos;
    }

    /** luaL_checkstack(L, 1, message). */
    void checkStack(String message) {
        if (stack + 1 > LuaCompat.MAX_C_STACK) {
            throw LuaCompat.stackOverflow(message);
        }
    }

    /** Decodes one object at the top level; it stays counted on the stack as a result. */
    LuaValue decodeTopLevel() {
        try {
            return decode();
        } catch (Truncated e) {
            throw LuaCompat.error("Missing bytes in input.");
        } catch (BadFormat e) {
            throw LuaCompat.error("Bad data format in input.");
        }
    }

    // ---------------------------------------------------------------- objects

    /**
     * An array or map being filled. The C code recurses; this decoder keeps the open containers
     * on an explicit stack instead, so nesting depth is bounded by Lua's stack rule (as in Redis)
     * and not by the Java thread's stack.
     */
    private static final class Container {
        final LuaTable table;
        final boolean isMap;
        /** Elements (arrays) or key/value pairs (maps) still to decode. */
        long remaining;
        long nextIndex = 1;
        LuaValue pendingKey;

        Container(LuaTable table, boolean isMap, long remaining) {
            this.table = table;
            this.isMap = isMap;
            this.remaining = remaining;
        }
    }

    /**
     * mp_decode_to_lua_type for one complete object, nested ones included. Each decoded value
     * occupies one Lua stack slot until its container stores it; an array also holds the index
     * of the element being decoded.
     */
    private LuaValue decode() {
        Deque<Container> open = new ArrayDeque<>();
        while (true) {
            LuaValue value = startValue(open);
            // Store completed values into their containers; closing a container completes it.
            while (value != null) {
                if (open.isEmpty()) {
                    return value;
                }
                value = store(open, value);
            }
        }
    }

    /**
     * Reads the object at the cursor: returns a scalar, an empty container, or null after
     * opening a container whose first element comes next.
     */
    private LuaValue startValue(Deque<Container> open) {
        need(1);
        checkStack(TOO_MANY_VALUES);
        int tag = u8(0);
        long length;
        boolean isMap;
        switch (tag) {
            case 0xdc -> { length = headerLength(3); isMap = false; }
            case 0xdd -> { length = headerLength(5); isMap = false; }
            case 0xde -> { length = headerLength(3); isMap = true; }
            case 0xdf -> { length = headerLength(5); isMap = true; }
            default -> {
                if ((tag & 0xe0) == 0x80) {   // fixarray 0x9X or fixmap 0x8X
                    consume(1);
                    length = tag & 0xf;
                    isMap = (tag & 0xf0) == 0x80;
                } else {
                    LuaValue scalar = decodeScalar(tag);
                    stack++;
                    return scalar;
                }
            }
        }
        return openContainer(open, isMap, length);
    }

    private LuaValue openContainer(Deque<Container> open, boolean isMap, long length) {
        LuaTable table = isMap ? new LuaTable() : new LuaTable((int) Math.min(length, remaining()), 0);
        stack++;
        if (!isMap) {
            checkStack("in function mp_decode_to_lua_array");
        }
        if (length == 0) {
            return table;
        }
        open.push(new Container(table, isMap, length));
        if (!isMap) {
            stack++;   // the index of the first element
        }
        return null;
    }

    /**
     * lua_settable of a completed value into the innermost container. Returns the container
     * when that completes it, else null (the next element is then decoded).
     */
    private LuaValue store(Deque<Container> open, LuaValue value) {
        Container c = open.peek();
        if (c.isMap && c.pendingKey == null) {
            c.pendingKey = value;   // stays on the stack until its value is decoded
            return null;
        }
        if (c.isMap) {
            checkKey(c.pendingKey);
            c.table.rawset(c.pendingKey, value);
            c.pendingKey = null;
        } else {
            c.table.rawset((int) c.nextIndex++, value);
        }
        stack -= 2;
        if (--c.remaining > 0) {
            if (!c.isMap) {
                stack++;   // the index of the next element
            }
            return null;
        }
        open.pop();
        return c.table;
    }

    /** Every type except arrays and maps; the cursor moves past it. */
    private LuaValue decodeScalar(int tag) {
        return switch (tag) {
            case 0xcc -> number(2, u8(1));
            case 0xd0 -> number(2, (byte) u8(1));
            case 0xcd -> number(3, u16(1));
            case 0xd1 -> number(3, (short) u16(1));
            case 0xce -> number(5, u32(1));
            case 0xd2 -> number(5, (int) u32(1));
            case 0xcf, 0xd3 -> number(9, u64(1));
            case 0xc0 -> scalar(LuaValue.NIL);
            case 0xc3 -> scalar(LuaValue.TRUE);
            case 0xc2 -> scalar(LuaValue.FALSE);
            case 0xca -> number(5, Float.intBitsToFloat((int) u32(1)));
            case 0xcb -> number(9, Double.longBitsToDouble(u64(1)));
            case 0xd9 -> string(2, lengthField(1, 2));
            case 0xda -> string(3, lengthField(1, 3));
            case 0xdb -> string(5, lengthField(1, 5));
            default -> decodeFixedScalar(tag);
        };
    }

    /** The scalars packed into the first byte: fixnums and fixstr. */
    private LuaValue decodeFixedScalar(int tag) {
        if ((tag & 0x80) == 0) {
            return number(1, tag);
        }
        if ((tag & 0xe0) == 0xe0) {
            return number(1, (byte) tag);
        }
        if ((tag & 0xe0) == 0xa0) {
            return string(1, tag & 0x1f);
        }
        throw new BadFormat();
    }

    private LuaValue scalar(LuaValue v) {
        consume(1);
        return v;
    }

    /** A number object of {@code size} bytes whose value has been read (after need(size)). */
    private LuaValue number(int size, double value) {
        consume(size);
        return LuaValue.valueOf(value);
    }

    /** A string of {@code length} bytes after a header of {@code header} bytes. */
    private LuaValue string(int header, long length) {
        need(header + length);
        LuaString s = LuaString.valueOf(bytes, pos + header, (int) length);
        consume(header + (int) length);
        return s;
    }

    /** Lua's own checks in luaH_set, raised without a position like every core error in C code. */
    private static void checkKey(LuaValue key) {
        if (key.isnil()) {
            throw LuaLibError.bare(LuaValue.valueOf("table index is nil"));
        }
        if (key.type() == LuaValue.TNUMBER && Double.isNaN(key.todouble())) {
            throw LuaLibError.bare(LuaValue.valueOf("table index is NaN"));
        }
    }

    // ---------------------------------------------------------------- cursor

    /** Reads a big-endian length of {@code size - 1} bytes after the tag. */
    private long lengthField(int offset, int size) {
        need(size);
        return switch (size) {
            case 2 -> u8(offset);
            case 3 -> u16(offset);
            default -> u32(offset);
        };
    }

    /** Reads an array/map length field and consumes the header. */
    private long headerLength(int size) {
        long length = lengthField(1, size);
        consume(size);
        return length;
    }

    private void need(long count) {
        if (remaining() < count) {
            throw new Truncated();
        }
    }

    private void consume(int count) {
        pos += count;
    }

    /** The byte at pos + offset; like every read here, first checks the input has it. */
    private int u8(int offset) {
        need(offset + 1);
        return bytes[pos + offset] & 0xff;
    }

    private int u16(int offset) {
        need(offset + 2);
        return (u8(offset) << 8) | u8(offset + 1);
    }

    private long u32(int offset) {
        need(offset + 4);
        return ((long) u16(offset) << 16) | u16(offset + 2);
    }

    private long u64(int offset) {
        need(offset + 8);
        return (u32(offset) << 32) | u32(offset + 4);
    }
}
