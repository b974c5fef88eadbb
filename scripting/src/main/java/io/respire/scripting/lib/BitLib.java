package io.respire.scripting.lib;

import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.TwoArgFunction;

/**
 * LuaBitOp 1.0.2 ({@code bit}) as Redis 7.0 bundles it (deps/lua/src/lua_bit.c): bitwise
 * operations on 32-bit integers, with every argument and result a Lua number.
 *
 * <p>An argument becomes 32 bits the way LuaBitOp does it on doubles: add 2^52 + 2^51 and keep
 * the low 32 bits of the sum's representation. That rounds fractions to the nearest integer
 * (ties to even) and wraps everything modulo 2^32, so {@code bit.tobit(2^32 + 1) == 1} and
 * {@code bit.tobit(1.5) == 2}. Results are the signed 32-bit value.
 */
public final class BitLib extends TwoArgFunction {

    /** 2^52 + 2^51: adding it moves the integer part of a double into the low mantissa bits. */
    private static final double NORMALISER = 6755399441055744.0;

    @Override
    public LuaValue call(LuaValue modname, LuaValue env) {
        LuaTable bit = new LuaTable();
        LibFunction.register(bit, "tobit", args -> result(arg("tobit", args, 1)));
        LibFunction.register(bit, "bnot", args -> result(~arg("bnot", args, 1)));
        registerFold(bit, "band", (a, b) -> a & b);
        registerFold(bit, "bor", (a, b) -> a | b);
        registerFold(bit, "bxor", (a, b) -> a ^ b);
        registerShift(bit, "lshift", (b, n) -> b << n);
        registerShift(bit, "rshift", (b, n) -> b >>> n);
        registerShift(bit, "arshift", (b, n) -> b >> n);
        registerShift(bit, "rol", Integer::rotateLeft);
        registerShift(bit, "ror", Integer::rotateRight);
        registerUnary(bit, "bswap", Integer::reverseBytes);
        LibFunction.register(bit, "tohex", BitLib::tohex);
        RedisLuaLibs.publish(env, "bit", bit);
        return bit;
    }

    /** band/bor/bxor: the operation folded over all arguments (at least one). */
    private static void registerFold(LuaTable bit, String name, IntBinaryOperator op) {
        LibFunction.register(bit, name, args -> {
            int b = arg(name, args, 1);
            // LuaBitOp folds from the last argument down, which decides which bad one is reported.
            for (int i = args.narg(); i > 1; i--) {
                b = op.applyAsInt(b, arg(name, args, i));
            }
            return result(b);
        });
    }

    /** Shifts and rotations: the count is taken modulo 32. */
    private static void registerShift(LuaTable bit, String name, IntBinaryOperator op) {
        LibFunction.register(bit, name, args -> {
            int b = arg(name, args, 1);
            int n = arg(name, args, 2) & 31;
            return result(op.applyAsInt(b, n));
        });
    }

    private static void registerUnary(LuaTable bit, String name, IntUnaryOperator op) {
        LibFunction.register(bit, name, args -> result(op.applyAsInt(arg(name, args, 1))));
    }

    /**
     * bit.tohex(x [, n]): the low |n| hex digits (8 by default, at most 8), upper case when n is
     * negative.
     */
    private static Varargs tohex(Varargs args) {
        int b = arg("tohex", args, 1);
        int n = args.narg() < 2 ? 8 : arg("tohex", args, 2);
        String digits = "0123456789abcdef";
        if (n < 0) {
            // -INT_MIN overflows in C and crashes the server; LuaJIT's fix treats it as -8.
            n = n == Integer.MIN_VALUE ? Integer.MAX_VALUE : -n;
            digits = "0123456789ABCDEF";
        }
        n = Math.min(n, 8);
        byte[] out = new byte[n];
        for (int i = n - 1; i >= 0; i--) {
            out[i] = (byte) digits.charAt(b & 15);
            b >>>= 4;
        }
        return LuaValue.valueOf(out);
    }

    /** LuaBitOp's barg(): any number (or numeric string) to 32 bits; anything else is an error. */
    static int arg(String function, Varargs args, int index) {
        LuaValue v = args.arg(index);
        double n = LuaCompat.toNumber(v);
        int b = (int) Double.doubleToRawLongBits(n + NORMALISER);
        if (b == 0 && !LuaCompat.isNumber(v)) {
            throw LuaCompat.typeError(function, args, index, "number");
        }
        return b;
    }

    private static LuaValue result(int b) {
        return LuaValue.valueOf(b);
    }
}
