package io.respire.scripting.lua;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How deep a table that contains itself is written before "reached lua stack limit": Redis counts
 * the Lua stack slots each level holds while it converts, so maps and sets stop sooner than arrays.
 * The level counts are Redis 7.0.15's.
 */
class LuaToReplyTest {
    private final Scripts lua = new Scripts();

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void arraysNestOneSlotPerLevel() {
        String reply = lua.eval("local t = {}; t[1] = t; return t");
        assertEquals(7995, count(reply, "*1\r\n"));
        assertTrue(reply.endsWith("-ERR reached lua stack limit\r\n"));
    }

    @Test
    void mapValuesAndSetMembersHoldThreeSlotsAndMapKeysFour() {
        assertEquals(2664, count(lua.eval("local t = {}; t.map = {x = t}; return t"), "$1\r\nx\r\n"));
        assertEquals(2665, count(lua.eval("local t = {}; t.set = {}; t.set[t] = true; return t"), "*1\r\n"));
        assertEquals(1998, count(lua.eval("local t = {}; t.map = {}; t.map[t] = 1; return t"), ":1\r\n"));
    }
}
