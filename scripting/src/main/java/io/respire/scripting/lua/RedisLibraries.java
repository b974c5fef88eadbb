package io.respire.scripting.lua;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;

/** The libraries Redis adds to Lua (cjson, cmsgpack, bit, struct), installed into a script's globals. */
final class RedisLibraries {
    private RedisLibraries() {
    }

    static void install(Globals globals, LuaTable env) {
        // Filled in when the libraries land (io.respire.scripting.lib).
    }
}
