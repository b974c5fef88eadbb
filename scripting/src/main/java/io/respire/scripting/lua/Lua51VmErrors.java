package io.respire.scripting.lua;

import org.luaj.vm2.Lua;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.compiler.LexState;

/**
 * The text Lua 5.1 gives an error that an instruction raises by itself: indexing, calling,
 * arithmetic, concatenation, length and comparison of values that do not allow it, and table
 * indexes that are nil or NaN. Lua 5.1 names the variable the bad value came from ("attempt to
 * index local 't' (a nil value)", "field 'b'", "upvalue 'x'", "method 'm'", "global 'g'"), which
 * it finds by reading the function's code (ldebug.c's getobjname); this does the same on LuaJ's
 * code, which is Lua 5.2's instruction set. {@link RunHook#traceback} asks for the text where an
 * error is first caught, while the failing function's registers are still there, and
 * {@link LuaErrors} puts it in the error's message; scripts and function libraries alike.
 */
final class Lua51VmErrors {
    private static final int ISA_MASK = 1 << 6;

    private Lua51VmErrors() {
    }

    /**
     * The error the instruction at {@code pc} of {@code c} raises with these register values, or
     * null if it raises none by itself (then the error came from a function it called, or a
     * metamethod).
     */
    static String message(LuaClosure c, int pc, LuaValue[] stack) {
        Prototype p = c.p;
        if (stack == null || pc < 0 || pc >= p.code.length) {
            return null;
        }
        int i = p.code[pc];
        int op = Lua.GET_OPCODE(i);
        int a = Lua.GETARG_A(i);
        int b = Lua.GETARG_B(i);
        int cc = Lua.GETARG_C(i);
        switch (op) {
            case Lua.OP_GETTABLE, Lua.OP_SELF -> {
                return indexError(stack[b], describeRegister(p, pc, b));
            }
            case Lua.OP_GETTABUP -> {
                return indexError(upvalue(c, b), "upvalue '" + upvalueName(p, b) + "'");
            }
            case Lua.OP_SETTABLE -> {
                return setError(stack[a], rk(p, stack, b), describeRegister(p, pc, a));
            }
            case Lua.OP_SETTABUP -> {
                return setError(upvalue(c, a), rk(p, stack, b), "upvalue '" + upvalueName(p, a) + "'");
            }
            case Lua.OP_ADD, Lua.OP_SUB, Lua.OP_MUL, Lua.OP_DIV, Lua.OP_MOD, Lua.OP_POW -> {
                LuaValue x = rk(p, stack, b);
                LuaValue y = rk(p, stack, cc);
                if (hasMetamethods(x) || hasMetamethods(y)) {
                    return null;
                }
                if (!numeric(x)) {
                    return typeError("perform arithmetic on", x, Lua.ISK(b) ? null : describeRegister(p, pc, b));
                }
                if (!numeric(y)) {
                    return typeError("perform arithmetic on", y, Lua.ISK(cc) ? null : describeRegister(p, pc, cc));
                }
                return null;
            }
            case Lua.OP_UNM -> {
                LuaValue x = stack[b];
                return numeric(x) || hasMetamethods(x) ? null
                        : typeError("perform arithmetic on", x, describeRegister(p, pc, b));
            }
            case Lua.OP_LEN -> {
                LuaValue x = stack[b];
                return x.istable() || x.type() == LuaValue.TSTRING || hasMetamethods(x) ? null
                        : typeError("get length of", x, describeRegister(p, pc, b));
            }
            case Lua.OP_CONCAT -> {
                return concatError(p, pc, stack, b, cc);
            }
            case Lua.OP_CALL, Lua.OP_TAILCALL -> {
                LuaValue f = stack[a];
                return f.isfunction() || !f.metatag(LuaValue.CALL).isnil() ? null
                        : typeError("call", f, describeRegister(p, pc, a));
            }
            case Lua.OP_LT, Lua.OP_LE -> {
                LuaValue x = rk(p, stack, b);
                LuaValue y = rk(p, stack, cc);
                if (x.type() != y.type()) {
                    return Lua51Table.orderError(x, y);
                }
                if (x.type() == LuaValue.TNUMBER || x.type() == LuaValue.TSTRING || hasMetamethods(x)) {
                    return null;
                }
                return Lua51Table.orderError(x, y);
            }
            default -> {
                return null;
            }
        }
    }

    private static LuaValue rk(Prototype p, LuaValue[] stack, int x) {
        return Lua.ISK(x) ? p.k[Lua.INDEXK(x)] : stack[x];
    }

    private static LuaValue upvalue(LuaClosure c, int index) {
        return c.upValues[index].getValue();
    }

    private static String upvalueName(Prototype p, int index) {
        LuaString name = p.upvalues != null && index < p.upvalues.length ? p.upvalues[index].name : null;
        return name == null ? "?" : name.tojstring();
    }

    /** Whether upvalue {@code index} is the one a chunk's globals are read through. */
    private static boolean isGlobals(Prototype p, int index) {
        return p.upvalues != null && index < p.upvalues.length && LexState.GLOBALS_UPVALUE.equals(p.upvalues[index].name);
    }

    /** A number, or a string arithmetic reads as one (Lua 5.1's rule: the project's LuaString). */
    private static boolean numeric(LuaValue v) {
        return v.isnumber();
    }

    private static boolean hasMetamethods(LuaValue v) {
        return v.getmetatable() != null && v.type() != LuaValue.TSTRING;
    }

    /** GETTABLE on a value that cannot be indexed (a string can: its metatable). */
    private static String indexError(LuaValue object, String description) {
        if (object.istable() || object.type() == LuaValue.TSTRING || hasMetamethods(object)) {
            return null;
        }
        return typeError("index", object, description);
    }

    private static String setError(LuaValue object, LuaValue key, String description) {
        if (object.istable()) {
            if (key.isnil()) {
                return "table index is nil";
            }
            if (key.type() == LuaValue.TNUMBER && Double.isNaN(key.todouble())) {
                return "table index is NaN";
            }
            return null;
        }
        if (hasMetamethods(object)) {
            return null;
        }
        return typeError("index", object, description);
    }

    /** luaG_concaterror on the pair Lua 5.1 fails at, concatenating from the right. */
    private static String concatError(Prototype p, int pc, LuaValue[] stack, int first, int last) {
        int culprit = -1;
        boolean merged = false; // whether the right operand is already the string of a successful step
        for (int right = last; right > first; right--) {
            int left = right - 1;
            boolean leftOk = stringLike(stack[left]);
            boolean rightOk = merged || stringLike(stack[right]);
            if (!leftOk || !rightOk) {
                if (hasMetamethods(stack[left]) || (!merged && hasMetamethods(stack[right]))) {
                    return null;
                }
                culprit = leftOk ? right : left;
                break;
            }
            merged = true;
        }
        if (culprit < 0) {
            return null;
        }
        return typeError("concatenate", stack[culprit], describeRegister(p, pc, culprit));
    }

    private static boolean stringLike(LuaValue v) {
        return v.type() == LuaValue.TSTRING || v.type() == LuaValue.TNUMBER;
    }

    /** luaG_typeerror's text. */
    private static String typeError(String operation, LuaValue value, String description) {
        return description == null
                ? "attempt to " + operation + " a " + value.typename() + " value"
                : "attempt to " + operation + " " + description + " (a " + value.typename() + " value)";
    }

    /** Lua 5.1's getobjname for register {@code reg} at {@code pc}: "local 'x'", "field 'y'"... or null. */
    static String describeRegister(Prototype p, int pc, int reg) {
        return describeRegister(p, pc, reg, 0);
    }

    private static String describeRegister(Prototype p, int pc, int reg, int depth) {
        LuaString local = p.getlocalname(reg + 1, pc);
        if (local != null) {
            return "local '" + local.tojstring() + "'";
        }
        if (depth > 50) {
            return null;
        }
        int setter = findSetRegister(p, pc, reg);
        if (setter < 0) {
            return null;
        }
        int i = p.code[setter];
        switch (Lua.GET_OPCODE(i)) {
            case Lua.OP_MOVE -> {
                int b = Lua.GETARG_B(i);
                return b < Lua.GETARG_A(i) ? describeRegister(p, pc, b, depth + 1) : null;
            }
            case Lua.OP_GETTABUP -> {
                // Lua 5.1 had globals as their own instructions: indexing the globals' upvalue
                String key = constantName(p, Lua.GETARG_C(i));
                return isGlobals(p, Lua.GETARG_B(i)) ? "global '" + key + "'" : "field '" + key + "'";
            }
            case Lua.OP_GETTABLE -> {
                return "field '" + constantName(p, Lua.GETARG_C(i)) + "'";
            }
            case Lua.OP_GETUPVAL -> {
                return "upvalue '" + upvalueName(p, Lua.GETARG_B(i)) + "'";
            }
            case Lua.OP_SELF -> {
                return "method '" + constantName(p, Lua.GETARG_C(i)) + "'";
            }
            default -> {
                return null;
            }
        }
    }

    /** Lua 5.1's kname: a string constant's text, else "?". */
    private static String constantName(Prototype p, int rk) {
        if (Lua.ISK(rk)) {
            LuaValue k = p.k[Lua.INDEXK(rk)];
            if (k.type() == LuaValue.TSTRING) {
                return k.tojstring();
            }
        }
        return "?";
    }

    /** Lua 5.2's findsetreg: the last instruction before {@code lastpc} that set {@code reg}. */
    private static int findSetRegister(Prototype p, int lastpc, int reg) {
        int setreg = -1;
        for (int pc = 0; pc < lastpc; pc++) {
            int i = p.code[pc];
            int op = Lua.GET_OPCODE(i);
            int a = Lua.GETARG_A(i);
            switch (op) {
                case Lua.OP_LOADNIL -> {
                    int b = Lua.GETARG_B(i);
                    if (a <= reg && reg <= a + b) {
                        setreg = pc;
                    }
                }
                case Lua.OP_TFORCALL -> {
                    if (reg >= a + 2) {
                        setreg = pc;
                    }
                }
                case Lua.OP_CALL, Lua.OP_TAILCALL -> {
                    if (reg >= a) {
                        setreg = pc;
                    }
                }
                case Lua.OP_JMP -> {
                    int b = Lua.GETARG_sBx(i);
                    int dest = pc + 1 + b;
                    if (pc < dest && dest <= lastpc) {
                        pc += b;
                    }
                }
                case Lua.OP_TEST -> {
                    if (reg == a) {
                        setreg = pc;
                    }
                }
                default -> {
                    if (op < Lua.luaP_opmodes.length && (Lua.luaP_opmodes[op] & ISA_MASK) != 0 && reg == a) {
                        setreg = pc;
                    }
                }
            }
        }
        return setreg;
    }
}
