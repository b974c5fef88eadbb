package io.respire.scripting.lib;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * Installs the libraries Redis 7.0 gives every script on top of the Lua standard library:
 * {@code cjson}, {@code struct}, {@code cmsgpack} and {@code bit}, in Redis's load order.
 *
 * <pre>{@code
 * Globals g = new Globals();
 * g.load(new JseBaseLib()); ... // LuaJ's own libraries
 * RedisLuaLibs.install(g);
 * }</pre>
 *
 * Each library is also an ordinary LuaJ library ({@code g.load(new CjsonLib())}) that sets its
 * global table, and records it in {@code package.loaded} when the package library is present.
 */
public final class RedisLuaLibs {

    private RedisLuaLibs() {
    }

    /** Loads cjson, struct, cmsgpack and bit into {@code globals}. */
    public static void install(Globals globals) {
        globals.load(new CjsonLib());
        globals.load(new StructLib());
        globals.load(new CmsgpackLib());
        globals.load(new BitLib());
    }

    /** Sets {@code env[name] = table}, and {@code package.loaded[name]} if there is one. */
    static void publish(LuaValue env, String name, LuaTable table) {
        env.set(name, table);
        LuaValue pkg = env.get("package");
        if (pkg.istable() && pkg.get("loaded").istable()) {
            pkg.get("loaded").set(name, table);
        }
    }
}
