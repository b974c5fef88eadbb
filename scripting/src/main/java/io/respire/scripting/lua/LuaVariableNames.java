package io.respire.scripting.lua;

import org.luaj.vm2.Lua;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.Prototype;

/**
 * The name Lua 5.1 gives, in a runtime error, to the value an instruction failed on ("attempt to
 * call field 'register_function' (a nil value)"), found as Lua's getobjname finds it: by reading
 * the bytecode back to the instruction that loaded the register. LuaJ computes no such names, so
 * {@link RunHook} asks for one where an error is first caught and {@link LuaErrors} puts it in.
 */
final class LuaVariableNames {
    private static final LuaString ENV = LuaString.valueOf("_ENV");

    private LuaVariableNames() {
    }

    /**
     * "global 'x'", "local 'x'", "field 'x'", "method 'x'" or "upvalue 'x'" for the value that the
     * instruction at {@code pc} calls, indexes or takes the length of; null where Lua 5.1 names
     * nothing.
     */
    static String failedOperand(Prototype p, int pc) {
        if (p == null || pc < 0 || pc >= p.code.length) {
            return null;
        }
        int i = p.code[pc];
        return switch (Lua.GET_OPCODE(i)) {
            case Lua.OP_CALL, Lua.OP_TAILCALL, Lua.OP_SETTABLE -> name(p, pc, Lua.GETARG_A(i));
            case Lua.OP_GETTABLE, Lua.OP_SELF, Lua.OP_LEN -> name(p, pc, Lua.GETARG_B(i));
            default -> null;
        };
    }

    /** getobjname for register {@code reg} just before {@code lastpc}. */
    private static String name(Prototype p, int lastpc, int reg) {
        LuaString local = p.getlocalname(reg + 1, lastpc);
        if (local != null) {
            return "local '" + local.tojstring() + "'";
        }
        int pc = lastSet(p, lastpc, reg);
        if (pc < 0) {
            return null;
        }
        int i = p.code[pc];
        switch (Lua.GET_OPCODE(i)) {
            case Lua.OP_MOVE: {
                int b = Lua.GETARG_B(i);
                return b < Lua.GETARG_A(i) ? name(p, pc, b) : null;
            }
            case Lua.OP_GETTABUP:
            case Lua.OP_GETTABLE: {
                int table = Lua.GETARG_B(i);
                LuaString indexed = Lua.GET_OPCODE(i) == Lua.OP_GETTABLE
                        ? p.getlocalname(table + 1, pc)
                        : table < p.upvalues.length ? p.upvalues[table].name : null;
                // Lua 5.1 had globals as their own instructions: indexing _ENV is a global.
                String kind = indexed != null && indexed.eq_b(ENV) ? "global" : "field";
                return kind + " '" + constantName(p, Lua.GETARG_C(i)) + "'";
            }
            case Lua.OP_GETUPVAL: {
                int u = Lua.GETARG_B(i);
                return u < p.upvalues.length && p.upvalues[u].name != null ? "upvalue '" + p.upvalues[u].name.tojstring() + "'" : null;
            }
            case Lua.OP_SELF:
                return "method '" + constantName(p, Lua.GETARG_C(i)) + "'";
            default:
                return null;
        }
    }

    private static String constantName(Prototype p, int rk) {
        if (Lua.ISK(rk) && p.k[Lua.INDEXK(rk)].type() == org.luaj.vm2.LuaValue.TSTRING) {
            return p.k[Lua.INDEXK(rk)].tojstring();
        }
        return "?";
    }

    /** findsetreg: the last instruction before {@code lastpc} that set register {@code reg}, or -1. */
    private static int lastSet(Prototype p, int lastpc, int reg) {
        int setreg = -1;
        for (int pc = 0; pc < lastpc; pc++) {
            int i = p.code[pc];
            int op = Lua.GET_OPCODE(i);
            int a = Lua.GETARG_A(i);
            switch (op) {
                case Lua.OP_LOADNIL -> {
                    if (a <= reg && reg <= a + Lua.GETARG_B(i)) {
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
                    int dest = pc + 1 + Lua.GETARG_sBx(i);
                    if (pc < dest && dest <= lastpc) {
                        pc += Lua.GETARG_sBx(i); // a forward jump that does not skip lastpc
                    }
                }
                case Lua.OP_TEST -> {
                    if (reg == a) {
                        setreg = pc;
                    }
                }
                default -> {
                    if (Lua.testAMode(op) && reg == a) {
                        setreg = pc;
                    }
                }
            }
        }
        return setreg;
    }
}
