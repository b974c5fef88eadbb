package io.respire.scripting.lua;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** sort, insert, remove, concat and unpack as Lua 5.1; expected texts are Redis 7.0.15's. */
class Lua51TableTest {
    private final Scripts lua = new Scripts();

    @Test
    void sortIsLua51Quicksort() {
        assertEquals("1 2 3 4 5 6 7", lua.value("local t = {5,3,7,1,4,6,2}; table.sort(t); return table.concat(t, ' ')"));
        assertEquals("c b a", lua.value("local t = {'a','c','b'}; table.sort(t, function(a, b) return a > b end); return table.concat(t, ' ')"));
        // equal keys end where Lua 5.1's quicksort leaves them (Redis's order, not LuaJ's heap sort's)
        assertEquals("15 9 6 12 18 3 13 1 16 19 10 4 7 17 2 11 8 14 5 20",
                lua.value("local t = {} for i = 1, 20 do t[i] = {i, (i * 7) % 3} end "
                        + "table.sort(t, function(x, y) return x[2] < y[2] end) "
                        + "local o = {} for i, v in ipairs(t) do o[i] = v[1] end return table.concat(o, ' ')"),
                "LuaJ's heap sort gives 9 3 12 18 15 6 7 13 4 19 1 10 16 14 11 20 5 17 8 2");
        assertEquals("user_script:1: invalid order function for sorting",
                lua.error("local t = {3,1,2,5,4,7,6}; table.sort(t, function(a,b) return true end)"));
        assertEquals("attempt to compare string with number", lua.error("local t = {1,'a'}; table.sort(t)"));
        assertEquals("attempt to compare two table values", lua.error("local t = {{},{}}; table.sort(t)"));
    }

    @Test
    void insertAndRemove() {
        assertEquals("0 1 2", lua.value("local t = {1,2}; table.insert(t, 1, 0); return table.concat(t, ' ')"));
        assertEquals("user_script:1: wrong number of arguments to 'insert'", lua.error("table.insert({}, 1, 2, 3)"));
        assertEquals("user_script:1: wrong number of arguments to 'insert'", lua.error("table.insert({})"));
        assertEquals("$-1\r\n", lua.eval("return table.remove({})"));
        assertEquals("$-1\r\n", lua.eval("return table.remove(string)"), "nothing to remove: no readonly error");
        assertEquals("Attempt to modify a readonly table", lua.error("table.insert(math, 1)"));
    }

    @Test
    void concatAndUnpack() {
        assertEquals("1.5-2", lua.value("return table.concat({1.5, 2}, '-')"));
        assertEquals("user_script:1: invalid value (table) at index 2 in table for 'concat'", lua.error("return table.concat({1,{},3})"));
        assertEquals("user_script:1: invalid value (nil) at index 3 in table for 'concat'", lua.error("return table.concat({1,2}, ',', 1, 5)"));
        assertEquals(":7990\r\n", lua.eval("return select('#', unpack({}, 1, 7990))"));
        assertEquals("user_script:1: too many results to unpack", lua.error("return unpack({}, 1, 7999)"));
    }
}
