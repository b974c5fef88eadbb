package io.respire.scripting.lua;

import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The debugger's views of values and replies; expected texts are redis-server 7.0.15's. */
class LdbFormatTest {

    private static String value(LuaValue v) {
        StringBuilder s = new StringBuilder();
        LdbFormat.value(s, v);
        return s.toString();
    }

    private static String human(String resp) {
        return LdbFormat.protocolToHuman(resp.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void stringsAreQuotedWithCEscapes() {
        byte[] b = {'a', 0, 'b', '\n', '"', 1, (byte) 0xff, '\\', '\t', '\r', 7, '\b'};
        StringBuilder s = new StringBuilder();
        LdbFormat.value(s, org.luaj.vm2.LuaValue.valueOf(b));
        assertEquals("\"a\\x00b\\n\\\"\\x01\\xff\\\\\\t\\r\\a\\b\"", s.toString());
    }

    @Test
    void numbersAreShownAsPercentG() {
        assertEquals("0.1", value(LuaValue.valueOf(0.1)));
        assertEquals("1e+100", value(LuaValue.valueOf(1e100)));
        assertEquals("9.0072e+15", value(LuaValue.valueOf(Math.pow(2, 53))));
        assertEquals("1.23457e+11", value(LuaValue.valueOf(123456789012.0)));
        assertEquals("-0", value(LuaValue.valueOf(-0.0)));
        assertEquals("inf", value(LuaValue.valueOf(Double.POSITIVE_INFINITY)));
        assertEquals("-nan", value(LuaValue.valueOf(Double.longBitsToDouble(0xfff8000000000000L))));
        assertEquals("1", value(LuaValue.valueOf(1)));
    }

    @Test
    void tablesAreArraysOrPairs() {
        LuaTable array = LuaValue.listOf(new LuaValue[] {LuaValue.valueOf(1), LuaValue.valueOf(2), LuaValue.valueOf("x")});
        assertEquals("{1; 2; \"x\"}", value(array));
        LuaTable pairs = new LuaTable();
        pairs.set("a", 1);
        assertEquals("{[\"a\"]=1}", value(pairs));
        LuaTable holes = new LuaTable();
        holes.set(1, LuaValue.valueOf(1));
        holes.set(3, LuaValue.valueOf(3));
        assertEquals("{[1]=1; [3]=3}", value(holes));
        assertEquals("{}", value(new LuaTable()));
        assertEquals("nil", value(LuaValue.NIL));
        assertEquals("true", value(LuaValue.TRUE));
    }

    @Test
    void nestingStopsAtTenLevels() {
        LuaTable t = new LuaTable();
        t.set(1, t);
        String shown = value(t);
        assertEquals("{".repeat(10) + "<max recursion level reached! Nested table?>" + "}".repeat(10), shown);
    }

    @Test
    void repliesAreShownAsRedisShowsTheirProtocol() {
        assertEquals("\"+OK\"", human("+OK\r\n"));
        assertEquals("\"-ERR value is not an integer or out of range\"", human("-ERR value is not an integer or out of range\r\n"));
        assertEquals("2", human(":2\r\n"));
        assertEquals("NULL", human("$-1\r\n"));
        assertEquals("NULL", human("*-1\r\n"));
        assertEquals("\"a\\x00\"", human("$2\r\na\0\r\n"));
        assertEquals("[]", human("*0\r\n"));
        assertEquals("[0,0,1,1,2,0]", human("*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n"));
        assertEquals("{0 => #false,1 => #true,2 => #false}", human("%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n"));
        assertEquals("~(0,1,2)", human("~3\r\n:0\r\n:1\r\n:2\r\n"));
        assertEquals("(double) 3.141", human(",3.141\r\n"));
        assertEquals("(null)", human("_\r\n"));
        // Types Redis's function does not know add nothing.
        assertEquals("", human("=15\r\ntxt:This is a v\r\n"));
        assertEquals("", human("(1234567999999999999999999999999999999\r\n"));
    }
}
