package io.respire.scripting.lib;

import java.util.ArrayList;
import java.util.List;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.TwoArgFunction;

/**
 * Roberto Ierusalimschy's {@code struct} library as Redis 7.0 bundles it
 * (deps/lua/src/lua_struct.c, with Redis's bounds on sizes and offsets): {@code struct.pack},
 * {@code struct.unpack} and {@code struct.size} over format strings such as {@code ">I2 c0 d"}.
 *
 * <p>Sizes are those of Redis on x86-64 Linux: short 2, int 4, long 8, size_t 8, float 4,
 * double 8, native order little-endian, default maximum alignment 8. Integers are converted as
 * the C code converts them (through a 64-bit long, sign or zero extended, bytes past the eighth
 * zero), so even the odd corners ({@code i12}, out-of-range values) give Redis's bytes.
 */
public final class StructLib extends TwoArgFunction {

    private static final int MAX_INT_SIZE = 32;
    private static final int MAX_ALIGN = 8;

    @Override
    public LuaValue call(LuaValue modname, LuaValue env) {
        LuaTable struct = new LuaTable();
        LibFunction.register(struct, "pack", StructLib::pack);
        LibFunction.register(struct, "unpack", StructLib::unpack);
        LibFunction.register(struct, "size", StructLib::size);
        RedisLuaLibs.publish(env, "struct", struct);
        return struct;
    }

    // ---------------------------------------------------------------- pack

    /** struct.pack(fmt, v1, v2, ...): the values laid out as the format says. */
    static Varargs pack(Varargs args) {
        Format format = new Format("pack", LuaCompat.checkCString("pack", args, 1));
        // The C code pushes a nil to separate the arguments from its buffer, so a missing
        // argument is reported as "got nil" rather than "got no value".
        Varargs visible = withNilMark(args);
        ByteBuilder out = new ByteBuilder();
        int arg = 2;
        long total = 0;
        while (format.hasMore()) {
            int opt = format.next();
            long size = format.optionSize(opt);
            int padding = format.paddingFor(total, opt, size);
            total += padding;
            out.appendZeros(padding);
            switch (opt) {
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' ->
                    putInteger(out, visible, arg++, format.bigEndian, (int) size);
                case 'x' -> out.append(0);
                case 'f' -> putFloat(out, visible, arg++, format.bigEndian);
                case 'd' -> putDouble(out, visible, arg++, format.bigEndian);
                case 'c', 's' -> {
                    size = putString(out, visible, arg++, opt, size);
                }
                default -> format.controlOption(opt);
            }
            total += size;
        }
        return out.toLuaString();
    }

    private static Varargs withNilMark(Varargs args) {
        LuaValue[] values = new LuaValue[args.narg() + 1];
        for (int i = 0; i < args.narg(); i++) {
            values[i] = args.arg(i + 1);
        }
        values[args.narg()] = LuaValue.NIL;
        return LuaValue.varargsOf(values);
    }

    /**
     * An integer of {@code size} bytes: negative numbers through (long), others through
     * (unsigned long), as the C code casts; bytes beyond the eighth are zero.
     */
    private static void putInteger(ByteBuilder out, Varargs args, int arg, boolean bigEndian, int size) {
        double n = LuaCompat.checkNumber("pack", args, arg);
        long value = n < 0 ? CNumbers.doubleToInt64(n) : CNumbers.doubleToUint64(n);
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            int index = bigEndian ? size - 1 - i : i;
            bytes[index] = (byte) value;
            value >>>= 8;
        }
        out.append(bytes, 0, size);
    }

    private static void putFloat(ByteBuilder out, Varargs args, int arg, boolean bigEndian) {
        float f = (float) LuaCompat.checkNumber("pack", args, arg);
        putBits(out, Float.floatToRawIntBits(f) & 0xffffffffL, 4, bigEndian);
    }

    private static void putDouble(ByteBuilder out, Varargs args, int arg, boolean bigEndian) {
        double d = LuaCompat.checkNumber("pack", args, arg);
        putBits(out, Double.doubleToRawLongBits(d), 8, bigEndian);
    }

    private static void putBits(ByteBuilder out, long bits, int size, boolean bigEndian) {
        for (int i = 0; i < size; i++) {
            int shift = bigEndian ? 8 * (size - 1 - i) : 8 * i;
            out.append((int) (bits >>> shift));
        }
    }

    /** 'cN' writes N bytes of the string ('c0' all of it); 's' writes all of it plus a NUL. */
    private static long putString(ByteBuilder out, Varargs args, int arg, int opt, long size) {
        LuaString s = LuaCompat.checkLString("pack", args, arg);
        long length = s.m_length;
        if (size == 0) {
            size = length;
        }
        if (length < size) {
            // The C code has already moved on to the next argument when it checks.
            throw LuaCompat.argError("pack", arg + 1, "string too short");
        }
        out.append(s, (int) size);
        if (opt == 's') {
            out.append(0);
            size++;
        }
        return size;
    }

    // ---------------------------------------------------------------- unpack

    /** struct.unpack(fmt, data [, pos]): the values read from data, then the next position. */
    static Varargs unpack(Varargs args) {
        Format format = new Format("unpack", LuaCompat.checkCString("unpack", args, 1));
        LuaString data = LuaCompat.checkLString("unpack", args, 2);
        long length = data.m_length;
        // size_t in C: a negative offset wraps around and then fails the length check below.
        long pos = LuaCompat.optInteger("unpack", args, 3, 1);
        if (pos == 0) {
            throw LuaCompat.argError("unpack", 3, "offset must be 1 or greater");
        }
        pos--;
        List<LuaValue> results = new ArrayList<>();
        int stackBase = Math.max(args.narg(), 2);
        while (format.hasMore()) {
            int opt = format.next();
            long size = format.optionSize(opt);
            pos += format.paddingFor(pos, opt, size);
            checkAvailable(length, pos, size);
            if (stackBase + results.size() + 2 > LuaCompat.MAX_C_STACK) {
                throw LuaCompat.stackOverflow("too many results");
            }
            switch (opt) {
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' ->
                    results.add(LuaValue.valueOf(readInteger(data, pos, format.bigEndian,
                            Character.isLowerCase(opt), (int) size)));
                case 'x' -> { }
                case 'f' -> results.add(LuaValue.valueOf(
                        Float.intBitsToFloat((int) readBits(data, pos, 4, format.bigEndian))));
                case 'd' -> results.add(LuaValue.valueOf(
                        Double.longBitsToDouble(readBits(data, pos, 8, format.bigEndian))));
                case 'c' -> size = readChars(data, pos, size, results);
                case 's' -> size = readZeroTerminated(data, pos, results);
                default -> format.controlOption(opt);
            }
            pos += size;
        }
        results.add(LuaValue.valueOf((double) (pos + 1)));
        return LuaValue.varargsOf(results.toArray(new LuaValue[0]));
    }

    /** The C check {@code size <= ld && pos <= ld - size}, in unsigned size_t arithmetic. */
    private static void checkAvailable(long length, long pos, long size) {
        boolean fits = Long.compareUnsigned(size, length) <= 0
                && Long.compareUnsigned(pos, length - size) <= 0;
        if (!fits) {
            throw LuaCompat.argError("unpack", 2, "data string too short");
        }
    }

    /**
     * Reads {@code size} bytes into a 64-bit accumulator (so only the last eight survive) and
     * sign-extends signed formats with C's mask, whose shift count the CPU takes modulo 64.
     */
    private static double readInteger(LuaString data, long pos, boolean bigEndian, boolean signed, int size) {
        long l = 0;
        for (int i = 0; i < size; i++) {
            int index = bigEndian ? i : size - 1 - i;
            l = (l << 8) | byteAt(data, pos + index);
        }
        if (!signed) {
            return CNumbers.uint64ToDouble(l);
        }
        long mask = -1L << (size * 8 - 1);
        if ((l & mask) != 0) {
            l |= mask;
        }
        return (double) l;
    }

    private static long readBits(LuaString data, long pos, int size, boolean bigEndian) {
        long bits = 0;
        for (int i = 0; i < size; i++) {
            int index = bigEndian ? i : size - 1 - i;
            bits = (bits << 8) | byteAt(data, pos + index);
        }
        return bits;
    }

    /**
     * 'cN' reads N bytes. 'c0' takes its length from the value just read (which must be a
     * number, or a string Lua can read as one) and replaces that value with the bytes.
     */
    private static long readChars(LuaString data, long pos, long size, List<LuaValue> results) {
        if (size == 0) {
            LuaValue previous = results.isEmpty() ? LuaValue.NONE : results.get(results.size() - 1);
            if (results.isEmpty() || !LuaCompat.isNumber(previous)) {
                throw LuaCompat.error("format 'c0' needs a previous size");
            }
            size = CNumbers.doubleToUint64(LuaCompat.toNumber(previous));
            results.remove(results.size() - 1);
            checkAvailable(data.m_length, pos, size);
        }
        results.add(data.substring((int) pos, (int) (pos + size)));
        return size;
    }

    /** 's' reads up to the next NUL, which it consumes but does not return. */
    private static long readZeroTerminated(LuaString data, long pos, List<LuaValue> results) {
        int start = (int) pos;
        for (int i = start; i < data.m_length; i++) {
            if (data.m_bytes[data.m_offset + i] == 0) {
                results.add(data.substring(start, i));
                return i - start + 1L;
            }
        }
        throw LuaCompat.error("unfinished string in data");
    }

    private static int byteAt(LuaString data, long pos) {
        return data.m_bytes[data.m_offset + (int) pos] & 0xff;
    }

    // ---------------------------------------------------------------- size

    /** struct.size(fmt): the bytes a pack of this format takes; 's' and 'c0' have no size. */
    static Varargs size(Varargs args) {
        Format format = new Format("size", LuaCompat.checkCString("size", args, 1));
        long pos = 0;
        while (format.hasMore()) {
            int opt = format.next();
            long size = format.optionSize(opt);
            pos += format.paddingFor(pos, opt, size);
            if (opt == 's') {
                throw LuaCompat.argError("size", 1, "option 's' has no fixed size");
            } else if (opt == 'c' && size == 0) {
                throw LuaCompat.argError("size", 1, "option 'c0' has no fixed size");
            }
            // Unknown letters and digits are silently sized 0 here; only other characters are
            // checked as control options.
            if (!isAsciiAlnum(opt)) {
                format.controlOption(opt);
            }
            pos += size;
        }
        return LuaValue.valueOf((double) pos);
    }

    private static boolean isAsciiAlnum(int c) {
        return CNumbers.isDigit(c) || (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    }

    // ---------------------------------------------------------------- format strings

    /** A cursor over a format string, with the byte order and alignment it has set so far. */
    private static final class Format {
        private final String function;
        private final LuaString fmt;
        private int pos;
        boolean bigEndian;
        private int align = 1;

        Format(String function, LuaString fmt) {
            this.function = function;
            this.fmt = fmt;
        }

        boolean hasMore() {
            return pos < fmt.m_length;
        }

        /** The next option character, as an unsigned byte. */
        int next() {
            return fmt.m_bytes[fmt.m_offset + pos++] & 0xff;
        }

        private int peek() {
            return pos < fmt.m_length ? fmt.m_bytes[fmt.m_offset + pos] & 0xff : 0;
        }

        /** A decimal count following an option, or the default when there is none. */
        int readNumber(int defaultValue) {
            if (!CNumbers.isDigit(peek())) {
                return defaultValue;
            }
            int a = 0;
            do {
                int digit = peek() - '0';
                if (a > Integer.MAX_VALUE / 10 || a * 10 > Integer.MAX_VALUE - digit) {
                    throw LuaCompat.error("integral size overflow");
                }
                a = a * 10 + digit;
                pos++;
            } while (CNumbers.isDigit(peek()));
            return a;
        }

        /** Bytes taken by an option (0 for control options and for 's'), reading its count. */
        long optionSize(int opt) {
            switch (opt) {
                case 'B', 'b', 'x':
                    return 1;
                case 'H', 'h':
                    return 2;
                case 'L', 'l', 'T', 'd':
                    return 8;
                case 'f':
                    return 4;
                case 'c':
                    return readNumber(1);
                case 'i', 'I': {
                    int size = readNumber(4);
                    if (size > MAX_INT_SIZE) {
                        throw LuaCompat.error("integral size " + size
                                + " is larger than limit of " + MAX_INT_SIZE);
                    }
                    return size;
                }
                default:
                    return 0;
            }
        }

        /** Padding bytes before an item of {@code size} at offset {@code len}. */
        int paddingFor(long len, int opt, long size) {
            if (size == 0 || opt == 'c') {
                return 0;
            }
            if (size > align) {
                size = align;
            }
            return (int) ((size - (len & (size - 1))) & (size - 1));
        }

        /** ' ', '<', '>' and '!n'; anything else is an invalid option. */
        void controlOption(int opt) {
            switch (opt) {
                case ' ' -> { }
                case '>' -> bigEndian = true;
                case '<' -> bigEndian = false;
                case '!' -> {
                    int a = readNumber(MAX_ALIGN);
                    if (a <= 0 || (a & (a - 1)) != 0) {
                        throw LuaCompat.error("alignment " + a + " is not a power of 2");
                    }
                    align = a;
                }
                default -> throw LuaCompat.argError(function, 1, LuaValue.valueOf("invalid format option '")
                        .concat(LuaString.valueOf(new byte[] {(byte) opt}))
                        .concat(LuaValue.valueOf("'")).checkstring());
            }
        }
    }
}
