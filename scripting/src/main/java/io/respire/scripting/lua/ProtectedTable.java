package io.respire.scripting.lua;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * A table that scripts cannot change once it is locked: Redis's read-only tables (its patched
 * Lua's lua_enablereadonlytable), which protect the globals and every library table so that one
 * script cannot change what the next one runs ({@code redis.call = ...}, {@code setmetatable(_G, {})}).
 * Every way LuaJ changes a table ends in one of the methods overridden here.
 */
final class ProtectedTable extends LuaTable {
    static final String READONLY_ERROR = "Attempt to modify a readonly table";

    private boolean locked;

    /** Locks the table: from now on every change raises Redis's error. */
    void lock() {
        locked = true;
    }

    boolean locked() {
        return locked;
    }

    /** Sets a field of a locked table, for the engine itself (KEYS and ARGV of EVAL). */
    void setUnlocked(LuaValue key, LuaValue value) {
        boolean wasLocked = locked;
        locked = false;
        try {
            super.rawset(key, value);
        } finally {
            locked = wasLocked;
        }
    }

    /**
     * A change by a library function (rawset, setmetatable, table.insert...): Lua raises the error
     * from inside the C function, so it carries no script position.
     */
    private void checkWritable() {
        if (locked) {
            throw new LuaError(READONLY_ERROR, 0);
        }
    }

    /** An assignment in the script ({@code t.x = 1}): the error carries the script's position. */
    @Override
    public void set(LuaValue key, LuaValue value) {
        if (locked) {
            throw new LuaError(READONLY_ERROR);
        }
        super.set(key, value);
    }

    @Override
    public void set(int key, LuaValue value) {
        if (locked) {
            throw new LuaError(READONLY_ERROR);
        }
        super.set(key, value);
    }

    @Override
    public void rawset(int key, LuaValue value) {
        checkWritable();
        super.rawset(key, value);
    }

    @Override
    public void rawset(LuaValue key, LuaValue value) {
        checkWritable();
        super.rawset(key, value);
    }

    @Override
    public void hashset(LuaValue key, LuaValue value) {
        checkWritable();
        super.hashset(key, value);
    }

    @Override
    public LuaValue setmetatable(LuaValue metatable) {
        checkWritable();
        return super.setmetatable(metatable);
    }

    @Override
    public void insert(int pos, LuaValue value) {
        checkWritable();
        super.insert(pos, value);
    }

    @Override
    public LuaValue remove(int pos) {
        checkWritable();
        return super.remove(pos);
    }

    @Override
    public void sort(LuaValue comparator) {
        checkWritable();
        super.sort(comparator);
    }

    @Override
    public void presize(int narray, int nhash) {
        checkWritable();
        super.presize(narray, nhash);
    }

    /** A copy of {@code source}'s fields (not locked yet), so that library tables can be protected. */
    static ProtectedTable copyOf(LuaTable source) {
        ProtectedTable copy = new ProtectedTable();
        LuaValue key = LuaValue.NIL;
        while (true) {
            org.luaj.vm2.Varargs next = source.next(key);
            key = next.arg1();
            if (key.isnil()) {
                return copy;
            }
            copy.rawset(key, next.arg(2));
        }
    }
}
