package io.respire.scripting.lua;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

import java.io.ByteArrayOutputStream;

/**
 * table.sort, insert, remove, concat and unpack as Lua 5.1's ltablib.c and lbaselib.c write them.
 * sort matters most: it is Lua 5.1's quicksort, so elements that compare equal end in the same
 * order as in Redis (LuaJ's heap sort orders them otherwise), a comparator that is not a strict
 * order is caught ("invalid order function for sorting"), and comparing values of different types
 * fails with Lua 5.1's text.
 */
final class Lua51Table {
    /** Lua 5.1's LUAI_MAXCSTACK: how many values a C function may push. */
    static final int MAX_C_STACK = 8000;

    private Lua51Table() {
    }

    /** Lua 5.1's luaG_ordererror text. */
    static String orderError(LuaValue a, LuaValue b) {
        String t1 = a.typename();
        String t2 = b.typename();
        return t1.equals(t2) ? "attempt to compare two " + t1 + " values" : "attempt to compare " + t1 + " with " + t2;
    }

    /**
     * Lua 5.1's luaV_lessthan: numbers and strings by value, anything else by an __lt metamethod
     * that both operands share; otherwise the order error, raised as Lua raises it from a C
     * function (with no position).
     */
    static boolean lessThan(LuaValue a, LuaValue b) {
        int type = a.type();
        if (type != b.type()) {
            throw new LuaError(orderError(a, b), 0);
        }
        if (type == LuaValue.TNUMBER) {
            return a.todouble() < b.todouble();
        }
        if (type == LuaValue.TSTRING) {
            return ((LuaString) a.checkstring()).strcmp(b.checkstring()) < 0;
        }
        LuaValue handler = a.metatag(LuaValue.LT);
        if (!handler.isnil() && handler.raweq(b.metatag(LuaValue.LT))) {
            return handler.call(a, b).toboolean();
        }
        throw new LuaError(orderError(a, b), 0);
    }

    /** table.sort(t [, comp]). */
    static final class Sort extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            LuaTable t = Lua51Args.checkTable(args, 1, "sort");
            int n = t.rawlen();
            LuaValue comparator = args.arg(2);
            if (!comparator.isnil() && !comparator.isfunction()) {
                throw new LuaError(Lua51Args.typeError(args, 2, "sort", "function"));
            }
            new Sorter(t, comparator.isnil() ? null : comparator).sort(1, n);
            return NONE;
        }
    }

    /** ltablib.c's auxsort, step for step, with the values it keeps on the Lua stack in locals. */
    private static final class Sorter {
        private final LuaTable t;
        private final LuaValue comparator;

        Sorter(LuaTable t, LuaValue comparator) {
            this.t = t;
            this.comparator = comparator;
        }

        private boolean less(LuaValue a, LuaValue b) {
            return comparator != null ? comparator.call(a, b).toboolean() : lessThan(a, b);
        }

        void sort(int l, int u) {
            while (l < u) {
                LuaValue al = t.rawget(l);
                LuaValue au = t.rawget(u);
                if (less(au, al)) { // a[u] < a[l]?
                    t.rawset(l, au);
                    t.rawset(u, al);
                }
                if (u - l == 1) {
                    break;
                }
                int i = (l + u) / 2;
                LuaValue ai = t.rawget(i);
                al = t.rawget(l);
                if (less(ai, al)) { // a[i] < a[l]?
                    t.rawset(i, al);
                    t.rawset(l, ai);
                } else {
                    au = t.rawget(u);
                    if (less(au, ai)) { // a[u] < a[i]?
                        t.rawset(i, au);
                        t.rawset(u, ai);
                    }
                }
                if (u - l == 2) {
                    break;
                }
                LuaValue pivot = t.rawget(i);
                LuaValue beforeLast = t.rawget(u - 1);
                t.rawset(i, beforeLast);
                t.rawset(u - 1, pivot);
                i = l;
                int j = u - 1;
                while (true) {
                    LuaValue x;
                    while (less(x = t.rawget(++i), pivot)) {
                        if (i > u) {
                            throw new LuaError("invalid order function for sorting");
                        }
                    }
                    LuaValue y;
                    while (less(pivot, y = t.rawget(--j))) {
                        if (j < l) {
                            throw new LuaError("invalid order function for sorting");
                        }
                    }
                    if (j < i) {
                        break;
                    }
                    t.rawset(i, y);
                    t.rawset(j, x);
                }
                LuaValue last = t.rawget(u - 1);
                LuaValue ai2 = t.rawget(i);
                t.rawset(u - 1, ai2);
                t.rawset(i, last);
                if (i - l < u - i) {
                    j = l;
                    i = i - 1;
                    l = i + 2;
                } else {
                    j = i + 1;
                    i = u;
                    u = j - 2;
                }
                sort(j, i);
            }
        }
    }

    /** table.insert(t, [pos,] value). */
    static final class Insert extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            LuaTable t = Lua51Args.checkTable(args, 1, "insert");
            int e = t.rawlen() + 1;
            int pos;
            switch (args.narg()) {
                case 2 -> pos = e;
                case 3 -> {
                    pos = Lua51Args.checkInt(args, 2, "insert");
                    if (pos > e) {
                        e = pos;
                    }
                    for (int i = e; i > pos; i--) {
                        t.rawset(i, t.rawget(i - 1));
                    }
                }
                default -> throw new LuaError("wrong number of arguments to 'insert'");
            }
            t.rawset(pos, args.arg(args.narg()));
            return NONE;
        }
    }

    /** table.remove(t [, pos]). */
    static final class Remove extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            LuaTable t = Lua51Args.checkTable(args, 1, "remove");
            int e = t.rawlen();
            int pos = Lua51Args.optInt(args, 2, "remove", e);
            if (!(1 <= pos && pos <= e)) {
                return NONE;
            }
            LuaValue removed = t.rawget(pos);
            for (; pos < e; pos++) {
                t.rawset(pos, t.rawget(pos + 1));
            }
            t.rawset(e, NIL);
            return removed;
        }
    }

    /** table.concat(t [, sep [, i [, j]]]). */
    static final class Concat extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            LuaString sep = args.arg(2).isnil() ? EMPTYSTRING : Lua51Args.checkString(args, 2, "concat");
            LuaTable t = Lua51Args.checkTable(args, 1, "concat");
            int i = Lua51Args.optInt(args, 3, "concat", 1);
            int last = args.arg(4).isnil() ? t.rawlen() : Lua51Args.checkInt(args, 4, "concat");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (; i < last; i++) {
                add(out, t, i);
                out.write(sep.m_bytes, sep.m_offset, sep.m_length);
                if (out.size() > Lua51Base.MAX_STRING) {
                    throw new LuaError("not enough memory", 0);
                }
            }
            if (i == last) {
                add(out, t, i);
            }
            return LuaString.valueUsing(out.toByteArray());
        }

        private static void add(ByteArrayOutputStream out, LuaTable t, int i) {
            LuaValue v = t.rawget(i);
            if (v.type() != TSTRING && v.type() != TNUMBER) {
                throw new LuaError("invalid value (" + v.typename() + ") at index " + i + " in table for 'concat'");
            }
            LuaString s = Lua51Base.plainString(v).checkstring();
            out.write(s.m_bytes, s.m_offset, s.m_length);
        }
    }

    /** unpack(t [, i [, j]]). */
    static final class Unpack extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            LuaTable t = Lua51Args.checkTable(args, 1, "unpack");
            int i = Lua51Args.optInt(args, 2, "unpack", 1);
            int e = args.arg(3).isnil() ? t.rawlen() : Lua51Args.checkInt(args, 3, "unpack");
            if (i > e) {
                return NONE;
            }
            long n = (long) e - i + 1;
            if (n >= Integer.MAX_VALUE || n + args.narg() > MAX_C_STACK) {
                throw new LuaError("too many results to unpack");
            }
            LuaValue[] values = new LuaValue[(int) n];
            for (int k = 0; k < n; k++) {
                values[k] = t.rawget(i + k);
            }
            return varargsOf(values);
        }
    }
}
