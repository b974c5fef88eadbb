package io.respire.scripting.lua;

import io.respire.protocol.InlineSplitter;
import io.respire.scripting.lib.CNumbers;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.nio.charset.StandardCharsets;

/**
 * How the Lua debugger shows values (eval.c's ldbCatStackValue, sdscatrepr and
 * ldbRedisProtocolToHuman). Text is kept one char per byte (ISO-8859-1), as the logs go to the
 * client byte for byte.
 */
final class LdbFormat {
    /** eval.c's LDB_MAX_VALUES_DEPTH (LUA_MINSTACK/2): nested tables shown this deep. */
    static final int MAX_VALUES_DEPTH = 10;

    private LdbFormat() {
    }

    /** Bytes as a one-char-per-byte string. */
    static String bytes(byte[] b, int offset, int length) {
        return new String(b, offset, length, StandardCharsets.ISO_8859_1);
    }

    /** A Java string (UTF-8 when sent) as a one-char-per-byte string. */
    static String utf8(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return bytes(b, 0, b.length);
    }

    /** ldbCatStackValue: a Lua value as the debugger prints it. */
    static void value(StringBuilder s, LuaValue v) {
        value(s, v, 0);
    }

    private static void value(StringBuilder s, LuaValue v, int level) {
        if (level++ == MAX_VALUES_DEPTH) {
            s.append("<max recursion level reached! Nested table?>");
            return;
        }
        switch (v.type()) {
            case LuaValue.TSTRING -> {
                LuaString str = v.checkstring();
                InlineSplitter.repr(s, str.m_bytes, str.m_offset, str.m_length); // sdscatrepr
            }
            case LuaValue.TBOOLEAN -> s.append(v.toboolean() ? "true" : "false");
            case LuaValue.TNUMBER -> s.append(CNumbers.formatG(v.todouble(), 6));
            case LuaValue.TNIL -> s.append("nil");
            case LuaValue.TTABLE -> table(s, (LuaTable) v, level);
            case LuaValue.TFUNCTION -> pointer(s, "function", v);
            case LuaValue.TUSERDATA -> pointer(s, "userdata", v);
            case LuaValue.TTHREAD -> pointer(s, "thread", v);
            case LuaValue.TLIGHTUSERDATA -> pointer(s, "light-userdata", v);
            default -> s.append("\"<unknown-lua-type>\"");
        }
    }

    /** Two forms are built at once, as an array and as key=value pairs, and the one that fits kept. */
    private static void table(StringBuilder s, LuaTable t, int level) {
        StringBuilder asArray = new StringBuilder();
        StringBuilder asPairs = new StringBuilder();
        boolean isArray = true;
        int expected = 1;
        LuaValue key = LuaValue.NIL;
        while (true) {
            Varargs next = t.next(key);
            key = next.arg1();
            if (key.isnil()) {
                break;
            }
            LuaValue val = next.arg(2);
            if (isArray && (key.type() != LuaValue.TNUMBER || key.todouble() != expected)) {
                isArray = false;
            }
            value(asArray, val, level);
            asArray.append("; ");
            asPairs.append('[');
            value(asPairs, key, level);
            asPairs.append("]=");
            value(asPairs, val, level);
            asPairs.append("; ");
            expected++;
        }
        StringBuilder chosen = isArray ? asArray : asPairs;
        if (chosen.length() > 0) {
            chosen.setLength(chosen.length() - 2);
        }
        s.append('{').append(chosen).append('}');
    }

    /** Redis prints the address (%p); the JVM has none to show, so an identity number stands in. */
    private static void pointer(StringBuilder s, String type, LuaValue v) {
        s.append('"').append(type).append("@0x").append(Integer.toHexString(System.identityHashCode(v))).append('"');
    }

    /**
     * ldbRedisProtocolToHuman: a reply's RESP as the debugger shows it. Types Redis's function does
     * not know (big numbers, verbatim strings, attributes) add nothing, as there.
     */
    static String protocolToHuman(byte[] reply) {
        StringBuilder out = new StringBuilder();
        new Human(reply, out).element(0);
        return out.toString();
    }

    /** One pass over the RESP bytes; each method returns the position after what it read. */
    private record Human(byte[] r, StringBuilder o) {
        int element(int p) {
            if (p >= r.length) {
                return p;
            }
            return switch (r[p]) {
                case ':' -> integer(p);
                case '$' -> bulk(p);
                case '+', '-' -> status(p);
                case '*' -> aggregate(p, "[", "]", false, true);
                case '~' -> aggregate(p, "~(", ")", false, false);
                case '%' -> aggregate(p, "{", "}", true, false);
                case '_' -> {
                    o.append("(null)");
                    yield lineEnd(p) + 2;
                }
                case '#' -> {
                    o.append(r[p + 1] == 't' ? "#true" : "#false");
                    yield lineEnd(p) + 2;
                }
                case ',' -> {
                    int end = lineEnd(p);
                    o.append("(double) ").append(bytes(r, p + 1, end - p - 1));
                    yield end + 2;
                }
                default -> p;
            };
        }

        private int lineEnd(int p) {
            int i = p + 1;
            while (i < r.length && r[i] != '\r') {
                i++;
            }
            return i;
        }

        private long number(int p, int end) {
            return Long.parseLong(bytes(r, p + 1, end - p - 1));
        }

        private int integer(int p) {
            int end = lineEnd(p);
            o.append(bytes(r, p + 1, end - p - 1));
            return end + 2;
        }

        private int bulk(int p) {
            int end = lineEnd(p);
            long length = number(p, end);
            if (length == -1) {
                o.append("NULL");
                return end + 2;
            }
            InlineSplitter.repr(o, r, end + 2, (int) length);
            return end + 2 + (int) length + 2;
        }

        private int status(int p) {
            int end = lineEnd(p);
            InlineSplitter.repr(o, r, p, end - p);
            return end + 2;
        }

        private int aggregate(int p, String open, String close, boolean pairs, boolean nullable) {
            int end = lineEnd(p);
            long count = number(p, end);
            p = end + 2;
            if (nullable && count == -1) {
                o.append("NULL");
                return p;
            }
            o.append(open);
            for (long j = 0; j < count; j++) {
                p = element(p);
                if (pairs) {
                    o.append(" => ");
                    p = element(p);
                }
                if (j != count - 1) {
                    o.append(',');
                }
            }
            o.append(close);
            return p;
        }
    }
}
