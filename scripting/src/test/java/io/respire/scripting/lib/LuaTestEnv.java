package io.respire.scripting.lib;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseBaseLib;
import org.luaj.vm2.lib.jse.JseMathLib;

/** A LuaJ environment like a Redis script's: base, table, string and math, plus the four libraries. */
final class LuaTestEnv {
    private LuaTestEnv() {
    }

    static Globals globals() {
        Globals g = new Globals();
        g.load(new JseBaseLib());
        g.load(new PackageLib());
        g.load(new TableLib());
        g.load(new StringLib());
        g.load(new JseMathLib());
        LoadState.install(g);
        LuaC.install(g);
        RedisLuaLibs.install(g);
        return g;
    }

    /** Runs a chunk named like Redis's ("@user_script") and returns its results. */
    static Varargs run(Globals g, String script) {
        return run(g, script.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Runs script bytes as they are, so the chunk sees exactly what Redis would be sent. */
    static Varargs run(Globals g, byte[] script) {
        return g.load(new java.io.ByteArrayInputStream(script), "@user_script", "t", g).invoke();
    }

    static LuaValue eval(Globals g, String script) {
        return run(g, script).arg1();
    }
}
