package io.respire.scripting.lib;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Serialises a Lua value as JSON the way lua-cjson 2.1.0 does in Redis.
 *
 * <ul>
 *   <li>A table is an array when all its keys are positive integers (holes become null), unless
 *       it is "excessively sparse" (see {@link CjsonConfig}); otherwise an object, whose keys
 *       must be strings or numbers, written in table iteration order.</li>
 *   <li>An empty table is the object {@code {}}.</li>
 *   <li>Numbers are printed with {@code %.14g} (the configured precision); NaN and infinities
 *       are an error unless encode_invalid_numbers allows them.</li>
 *   <li>Strings are escaped byte by byte: {@code "}, {@code \}, {@code /}, control characters
 *       and DEL; other bytes (UTF-8 or not) are copied as they are.</li>
 * </ul>
 */
final class JsonEncoder {

    /** Escape sequence for each byte, or null to copy the byte. */
    private static final byte[][] ESCAPES = buildEscapes();

    private final CjsonConfig cfg;
    private final ByteBuilder out = new ByteBuilder();
    /** Lua stack slots the C encoder would be using (its depth check also checks the stack). */
    private int stack = 1;

    JsonEncoder(CjsonConfig cfg) {
        this.cfg = cfg;
    }

    LuaString encode(LuaValue value) {
        Deque<Container> open = new ArrayDeque<>();
        appendValue(open, value, 0, 0);
        while (!open.isEmpty()) {
            appendNext(open);
        }
        return out.toLuaString();
    }

    private static byte[][] buildEscapes() {
        byte[][] escapes = new byte[256][];
        for (int c = 0; c < 0x20; c++) {
            escapes[c] = ascii(String.format("\\u%04x", c));
        }
        escapes['\b'] = ascii("\\b");
        escapes['\t'] = ascii("\\t");
        escapes['\n'] = ascii("\\n");
        escapes['\f'] = ascii("\\f");
        escapes['\r'] = ascii("\\r");
        escapes['"'] = ascii("\\\"");
        escapes['\\'] = ascii("\\\\");
        escapes['/'] = ascii("\\/");
        escapes[0x7f] = ascii("\\u007f");
        return escapes;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    // ---------------------------------------------------------------- values

    /**
     * A table being written. lua-cjson recurses; this encoder keeps the open tables on an
     * explicit stack, so the depth it reaches is bounded by encode_max_depth and Lua's stack
     * rule (as in Redis) rather than by the Java thread's stack.
     */
    private static final class Container {
        final LuaTable table;
        final int depth;
        /** Array length, or -1 for an object. */
        final int arrayLength;
        /** Lua stack slots the parent holds while this table is written (its key and value). */
        final int parentSlots;
        int nextIndex = 1;
        LuaValue lastKey = LuaValue.NIL;

        Container(LuaTable table, int depth, int arrayLength, int parentSlots) {
            this.table = table;
            this.depth = depth;
            this.arrayLength = arrayLength;
            this.parentSlots = parentSlots;
        }
    }

    /**
     * json_append_data: writes a scalar, or opens a table (written by {@link #appendNext}).
     * {@code slots} is what the caller pushed to reach the value: 1 for an array element, 2 for
     * an object entry; they are released once the value is written.
     */
    private void appendValue(Deque<Container> open, LuaValue value, int depth, int slots) {
        stack += slots;
        if (value.type() == LuaValue.TTABLE) {
            openTable(open, (LuaTable) value, depth + 1, slots);
            return;
        }
        appendScalar(value);
        stack -= slots;
    }

    private void appendScalar(LuaValue value) {
        switch (value.type()) {
            case LuaValue.TSTRING -> appendString((LuaString) value);
            case LuaValue.TNUMBER -> appendNumber(value.todouble());
            case LuaValue.TBOOLEAN -> out.appendAscii(value.toboolean() ? "true" : "false");
            case LuaValue.TNIL -> out.appendAscii("null");
            default -> {
                if (value == CjsonLib.NULL) {
                    out.appendAscii("null");
                } else {
                    throw cannotSerialise(value.typename(), "type not supported");
                }
            }
        }
    }

    private void openTable(Deque<Container> open, LuaTable table, int depth, int parentSlots) {
        checkDepth(depth);
        int length = arrayLength(table);
        boolean isArray = length > 0;
        out.append(isArray ? '[' : '{');
        open.push(new Container(table, depth, isArray ? length : -1, parentSlots));
    }

    /** Writes the next element of the innermost open table, or closes it. */
    private void appendNext(Deque<Container> open) {
        Container c = open.peek();
        if (c.arrayLength >= 0) {
            appendNextElement(open, c);
        } else {
            appendNextEntry(open, c);
        }
    }

    private void appendNextElement(Deque<Container> open, Container c) {
        if (c.nextIndex > c.arrayLength) {
            close(open, c, ']');
            return;
        }
        if (c.nextIndex > 1) {
            out.append(',');
        }
        LuaValue element = c.table.rawget(c.nextIndex++);
        appendValue(open, element, c.depth, 1);
    }

    private void appendNextEntry(Deque<Container> open, Container c) {
        Varargs entry = c.table.next(c.lastKey);
        LuaValue key = entry.arg1();
        if (key.isnil()) {
            close(open, c, '}');
            return;
        }
        if (!c.lastKey.isnil()) {
            out.append(',');
        }
        c.lastKey = key;
        appendKey(key);
        appendValue(open, entry.arg(2), c.depth, 2);
    }

    private void close(Deque<Container> open, Container c, char closer) {
        out.append(closer);
        open.pop();
        stack -= c.parentSlots;
    }

    private void appendString(LuaString s) {
        out.append('"');
        for (int i = 0; i < s.m_length; i++) {
            int b = s.m_bytes[s.m_offset + i] & 0xff;
            byte[] escape = ESCAPES[b];
            if (escape == null) {
                out.append(b);
            } else {
                out.append(escape, 0, escape.length);
            }
        }
        out.append('"');
    }

    private void appendNumber(double num) {
        boolean invalid = Double.isNaN(num) || Double.isInfinite(num);
        switch (cfg.encodeInvalidNumbers) {
            case CjsonConfig.INVALID_OFF -> {
                if (invalid) {
                    throw cannotSerialise("number", "must not be NaN or Inf");
                }
            }
            case CjsonConfig.INVALID_ON -> {
                // Written as "nan" even for a negative NaN, which printf would call "-nan".
                if (Double.isNaN(num)) {
                    out.appendAscii("nan");
                    return;
                }
            }
            default -> {   // CjsonConfig.INVALID_NULL
                if (invalid) {
                    out.appendAscii("null");
                    return;
                }
            }
        }
        out.appendAscii(CNumbers.formatG(num, cfg.encodeNumberPrecision));
    }

    // ---------------------------------------------------------------- tables

    /** The depth limit, and lua_checkstack(3), which only a raised limit lets you reach. */
    private void checkDepth(int depth) {
        if (depth <= cfg.encodeMaxDepth && stack + 3 <= LuaCompat.MAX_C_STACK) {
            return;
        }
        throw LuaCompat.error("Cannot serialise, excessive nesting (" + depth + ")");
    }

    /**
     * lua_array_length: the largest key when every key is an integer >= 1, or -1 when the
     * table is not an array (or is an excessively sparse one that may be converted to an
     * object). The running maximum is a C int, so keys beyond 2^31 turn it to INT_MIN just as
     * the C assignment does.
     */
    private int arrayLength(LuaTable table) {
        int max = 0;
        int items = 0;
        LuaValue key = LuaValue.NIL;
        while (true) {
            Varargs entry = table.next(key);
            key = entry.arg1();
            if (key.isnil()) {
                break;
            }
            double k = key.type() == LuaValue.TNUMBER ? key.todouble() : 0;
            if (k == 0 || Math.floor(k) != k || k < 1) {
                return -1;
            }
            if (k > max) {
                max = CNumbers.doubleToInt32(k);
            }
            items++;
        }
        if (isExcessivelySparse(max, items)) {
            if (!cfg.encodeSparseConvert) {
                throw cannotSerialise("table", "excessively sparse array");
            }
            return -1;
        }
        return max;
    }

    private boolean isExcessivelySparse(int max, int items) {
        return cfg.encodeSparseRatio > 0
                && max > items * cfg.encodeSparseRatio
                && max > cfg.encodeSparseSafe;
    }

    /** Object keys: strings as they are, numbers formatted like values and quoted. */
    private void appendKey(LuaValue key) {
        if (key.type() == LuaValue.TNUMBER) {
            out.append('"');
            appendNumber(key.todouble());
            out.appendAscii("\":");
        } else if (key.type() == LuaValue.TSTRING) {
            appendString((LuaString) key);
            out.append(':');
        } else {
            throw cannotSerialise(key.typename(), "table key must be a number or string");
        }
    }

    private static LuaLibError cannotSerialise(String typeName, String reason) {
        return LuaCompat.error("Cannot serialise " + typeName + ": " + reason);
    }
}
