package io.respire.scripting.lib;

import org.luaj.vm2.LuaTable;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/** A library function given as a lambda, registered in its table under its own name. */
final class LibFunction extends VarArgFunction {

    /** The body of a library function: Lua arguments in, Lua results out. */
    @FunctionalInterface
    interface Body {
        Varargs call(Varargs args);
    }

    private final Body body;

    private LibFunction(String name, Body body) {
        this.name = name;
        this.body = body;
    }

    /** Adds a function called {@code name} to {@code table}. */
    static void register(LuaTable table, String name, Body body) {
        table.set(name, new LibFunction(name, body));
    }

    @Override
    public Varargs invoke(Varargs args) {
        return body.call(args);
    }
}
