package io.respire.server.commands;

import io.respire.ds.string.Bits;
import io.respire.ds.string.MutableString;
import io.respire.ds.util.Numbers;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.Errors;
import io.respire.server.command.Args;
import io.respire.server.command.CommandTable;
import io.respire.server.keyspace.Keys;
import io.respire.server.keyspace.StringValues;

import java.util.ArrayList;
import java.util.List;

/**
 * Bitmap commands (Redis's bitops.c): SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and
 * BITFIELD_RO. Strings are bit arrays, bit 0 being the top bit of the first byte; the bit-level
 * work is in {@link Bits}. Writes grow the string as needed and change it in place, as a
 * {@link MutableString}.
 */
public final class BitmapCommands {
    private BitmapCommands() {
    }

    static void register(CommandTable table) {
        table.register("setbit", BitmapCommands::setbit);
        table.register("getbit", BitmapCommands::getbit);
        table.register("bitcount", BitmapCommands::bitcount);
        table.register("bitpos", BitmapCommands::bitpos);
        table.register("bitop", BitmapCommands::bitop);
        table.register("bitfield", c -> bitfield(c, false));
        table.register("bitfield_ro", c -> bitfield(c, true));
    }

    private static final String BITFIELD_TYPE_ERROR =
            "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
    private static final byte[] EMPTY = new byte[0];

    /**
     * Redis's getBitOffsetFromArgument: a bit offset, or with {@code hash} and the form
     * {@code #n}, n fields of {@code bits} bits. The bitmap it addresses must stay below
     * proto-max-bulk-len bytes, unless the primary or the AOF asks.
     */
    private static long bitOffset(Client c, int i, boolean hash, int bits) {
        byte[] p = c.arg(i);
        boolean multiple = hash && bits > 0 && p.length > 0 && p[0] == '#';
        long[] out = new long[1];
        if (!Numbers.parseLong(p, multiple ? 1 : 0, p.length, out)) {
            throw new CommandError(Errors.BIT_OFFSET);
        }
        long offset = multiple ? out[0] * bits : out[0];
        // Not from the primary or the AOF (mustObeyClient); what a Java array holds is checked on writing.
        if (offset < 0 || ((offset >> 3) >= c.server().config().protoMaxBulkLen.value() && !c.mustObey())) {
            throw new CommandError(Errors.BIT_OFFSET);
        }
        return offset;
    }

    /** The string at key 1 grown to hold {@code maxBit}, and whether it was created or grown. */
    private record Writable(MutableString s, boolean grown) {
    }

    /** Redis's lookupStringForBitCommand: creates or grows (zero-filled) the string at key 1. */
    private static Writable writable(Client c, long maxBit) {
        byte[] key = c.arg(1);
        Object current = StringValues.lookupWrite(c, key);
        long bytes = (maxBit >>> 3) + 1;
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new CommandError(Errors.STRING_TOO_LONG); // beyond a Java array
        }
        if (current == null) {
            MutableString s = new MutableString(new byte[(int) bytes]);
            c.db().put(key, s);
            return new Writable(s, true);
        }
        MutableString s = StringValues.unshare(c.db(), key, current);
        int before = s.length();
        s.growTo((int) bytes);
        return new Writable(s, s.length() != before);
    }

    /** SETBIT key offset 0|1: replies the bit's previous value. */
    static void setbit(Client c) {
        long offset = bitOffset(c, 2, false, 0);
        long on = Args.longArg(c, 3, Errors.BIT_VALUE);
        if ((on & ~1) != 0) {
            throw new CommandError(Errors.BIT_VALUE);
        }
        Writable w = writable(c, offset);
        boolean old = Bits.getBit(w.s().array(), w.s().length(), offset);
        if (w.grown() || old != (on == 1)) {
            Bits.setBit(w.s().array(), offset, on == 1);
            c.server().keyModified(c.db(), c.arg(1), "setbit");
        }
        c.reply().integer(old ? 1 : 0);
    }

    static void getbit(Client c) {
        long offset = bitOffset(c, 2, false, 0);
        Object value = StringValues.lookupRead(c, c.arg(1));
        boolean bit = value != null && Bits.getBit(StringValues.array(value), StringValues.length(value), offset);
        c.reply().integer(bit ? 1 : 0);
    }

    /** Whether argument {@code i} says BIT (true) or BYTE (false); a syntax error otherwise. */
    private static boolean bitUnit(Client c, int i) {
        if (c.argIs(i, "BIT")) {
            return true;
        } else if (c.argIs(i, "BYTE")) {
            return false;
        }
        throw new CommandError(Errors.SYNTAX);
    }

    /** BITCOUNT key [start end [BYTE | BIT]] */
    static void bitcount(Client c) {
        Object value = StringValues.lookupRead(c, c.arg(1));
        if (value == null) {
            c.reply().integer(0);
            return;
        }
        long length = StringValues.length(value);
        long from;
        long to;
        if (c.argc() == 4 || c.argc() == 5) {
            long start = Args.longArg(c, 2);
            long end = Args.longArg(c, 3);
            if (start < 0 && end < 0 && start > end) {
                c.reply().integer(0);
                return;
            }
            boolean isBit = c.argc() == 5 && bitUnit(c, 4);
            long[] range = StringValues.clampRange(start, end, isBit ? length << 3 : length);
            if (range[0] > range[1]) {
                c.reply().integer(0); // checked before scaling to bits, which could overflow
                return;
            }
            from = isBit ? range[0] : range[0] << 3;
            to = isBit ? range[1] : (range[1] << 3) + 7;
        } else if (c.argc() == 2) {
            from = 0;
            to = (length << 3) - 1;
        } else {
            throw new CommandError(Errors.SYNTAX);
        }
        c.reply().integer(Bits.count(StringValues.array(value), (int) length, from, to));
    }

    /** BITPOS key bit [start [end [BYTE | BIT]]] */
    static void bitpos(Client c) {
        long bit = Args.longArg(c, 2);
        if (bit != 0 && bit != 1) {
            throw new CommandError("ERR The bit argument must be 1 or 0.");
        }
        Object value = StringValues.lookupRead(c, c.arg(1));
        if (value == null) {
            // A missing key is an endless run of zeros.
            c.reply().integer(bit == 1 ? -1 : 0);
            return;
        }
        long length = StringValues.length(value);
        long from;
        long to;
        boolean endGiven = false;
        if (c.argc() >= 4 && c.argc() <= 6) {
            long start = Args.longArg(c, 3);
            boolean isBit = c.argc() == 6 && bitUnit(c, 5);
            long total = isBit ? length << 3 : length;
            long end = total - 1;
            if (c.argc() >= 5) {
                end = Args.longArg(c, 4);
                endGiven = true;
            }
            long[] range = StringValues.clampRange(start, end, total);
            from = isBit ? range[0] : range[0] << 3;
            to = isBit ? range[1] : (range[1] << 3) + 7;
        } else if (c.argc() == 3) {
            from = 0;
            to = (length << 3) - 1;
        } else {
            throw new CommandError(Errors.SYNTAX);
        }
        if (from > to) {
            c.reply().integer(-1); // an empty range holds neither ones nor zeros
            return;
        }
        long pos = Bits.position(StringValues.array(value), (int) length, from, to, bit == 1);
        if (pos == -1 && bit == 0 && !endGiven) {
            // Without an explicit end the string is taken as padded with zeros on the right.
            pos = to + 1;
        }
        c.reply().integer(pos);
    }

    /** BITOP AND | OR | XOR | NOT destkey srckey...: replies the length of the result. */
    static void bitop(Client c) {
        char op;
        if (c.argIs(1, "AND")) {
            op = '&';
        } else if (c.argIs(1, "OR")) {
            op = '|';
        } else if (c.argIs(1, "XOR")) {
            op = '^';
        } else if (c.argIs(1, "NOT")) {
            op = '~';
        } else {
            throw new CommandError(Errors.SYNTAX);
        }
        if (op == '~' && c.argc() != 4) {
            throw new CommandError("ERR BITOP NOT must be called with a single source key.");
        }
        int count = c.argc() - 3;
        byte[][] sources = new byte[count][];
        int[] lengths = new int[count];
        int maxLength = 0;
        for (int j = 0; j < count; j++) {
            Object value = StringValues.lookupRead(c, c.arg(j + 3));
            // A missing key is an empty string.
            sources[j] = value == null ? EMPTY : StringValues.array(value);
            lengths[j] = value == null ? 0 : StringValues.length(value);
            maxLength = Math.max(maxLength, lengths[j]);
        }
        byte[] target = c.arg(2);
        if (maxLength == 0) {
            Keys.deletePresent(c, c.db(), target);
            c.reply().integer(0);
            return;
        }
        byte[] result = new byte[maxLength];
        for (int i = 0; i < maxLength; i++) {
            // Shorter strings are zero-padded.
            int out = i < lengths[0] ? sources[0][i] : 0;
            if (op == '~') {
                out = ~out;
            }
            for (int j = 1; j < count; j++) {
                int b = i < lengths[j] ? sources[j][i] : 0;
                out = switch (op) {
                    case '&' -> out & b;
                    case '|' -> out | b;
                    default -> out ^ b;
                };
            }
            result[i] = (byte) out;
        }
        // Redis builds the result as a raw string, and so reports its encoding.
        c.db().put(target, new MutableString(result));
        c.server().keyModified(c.db(), target, "set");
        c.reply().integer(maxLength);
    }

    /** One BITFIELD operation, parsed before any is run. */
    private record FieldOp(Kind kind, long offset, int bits, boolean signed, long value, Bits.Overflow overflow) {
    }

    private enum Kind { GET, SET, INCRBY }

    /**
     * BITFIELD key [GET type offset | SET type offset value | INCRBY type offset increment |
     * OVERFLOW WRAP|SAT|FAIL]..., and BITFIELD_RO, which allows only GET. All arguments are
     * checked before anything is done; OVERFLOW applies to the SET/INCRBY operations after it.
     */
    static void bitfield(Client c, boolean readOnlyCommand) {
        List<FieldOp> ops = new ArrayList<>();
        Bits.Overflow overflow = Bits.Overflow.WRAP;
        boolean writes = false;
        long highestWriteBit = 0;
        for (int j = 2; j < c.argc(); j++) {
            int remaining = c.argc() - j - 1;
            Kind kind;
            if (c.argIs(j, "GET") && remaining >= 2) {
                kind = Kind.GET;
            } else if (c.argIs(j, "SET") && remaining >= 3) {
                kind = Kind.SET;
            } else if (c.argIs(j, "INCRBY") && remaining >= 3) {
                kind = Kind.INCRBY;
            } else if (c.argIs(j, "OVERFLOW") && remaining >= 1) {
                j++;
                if (c.argIs(j, "WRAP")) {
                    overflow = Bits.Overflow.WRAP;
                } else if (c.argIs(j, "SAT")) {
                    overflow = Bits.Overflow.SAT;
                } else if (c.argIs(j, "FAIL")) {
                    overflow = Bits.Overflow.FAIL;
                } else {
                    throw new CommandError("ERR Invalid OVERFLOW type specified");
                }
                continue;
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
            byte[] type = c.arg(j + 1);
            boolean signed = type.length > 0 && type[0] == 'i';
            int bits = fieldBits(type);
            long offset = bitOffset(c, j + 2, true, bits);
            long value = 0;
            if (kind != Kind.GET) {
                writes = true;
                highestWriteBit = Math.max(highestWriteBit, offset + bits - 1);
                value = Args.longArg(c, j + 3);
            }
            ops.add(new FieldOp(kind, offset, bits, signed, value, overflow));
            j += kind == Kind.GET ? 2 : 3;
        }

        if (!writes) {
            Object value = StringValues.lookupRead(c, c.arg(1));
            byte[] s = value == null ? EMPTY : StringValues.array(value);
            int length = value == null ? 0 : StringValues.length(value);
            c.reply().array(ops.size());
            for (FieldOp op : ops) {
                c.reply().integer(read(s, length, op));
            }
            return;
        }
        if (readOnlyCommand) {
            throw new CommandError("ERR BITFIELD_RO only supports the GET subcommand");
        }
        Writable w = writable(c, highestWriteBit);
        byte[] s = w.s().array();
        int length = w.s().length();
        int changes = 0;
        c.reply().array(ops.size());
        for (FieldOp op : ops) {
            if (op.kind() == Kind.GET) {
                c.reply().integer(read(s, length, op));
                continue;
            }
            long old = read(s, length, op);
            // A SET checks its value against the field as an increment of 0.
            Bits.FieldResult r = op.kind() == Kind.INCRBY ? add(old, op.value(), op) : add(op.value(), 0, op);
            if (r.overflowed() && op.overflow() == Bits.Overflow.FAIL) {
                c.reply().nullBulk();
                continue;
            }
            c.reply().integer(op.kind() == Kind.INCRBY ? r.value() : old);
            Bits.setField(s, op.offset(), op.bits(), r.value());
            if (w.grown() || old != r.value()) {
                changes++;
            }
        }
        if (changes > 0) {
            // One signal and event for the key, but every changed field counts as a change.
            c.server().keyModified(c.db(), c.arg(1), "setbit");
            c.server().addDirty(changes - 1);
        }
    }

    /** Redis's getBitfieldTypeFromArgument: i1..i64 or u1..u63 (case-sensitive). */
    private static int fieldBits(byte[] type) {
        if (type.length == 0 || (type[0] != 'i' && type[0] != 'u')) {
            throw new CommandError(BITFIELD_TYPE_ERROR);
        }
        long[] out = new long[1];
        if (!Numbers.parseLong(type, 1, type.length, out) || out[0] < 1 || out[0] > (type[0] == 'i' ? 64 : 63)) {
            throw new CommandError(BITFIELD_TYPE_ERROR);
        }
        return (int) out[0];
    }

    private static long read(byte[] s, int length, FieldOp op) {
        return op.signed() ? Bits.getSigned(s, length, op.offset(), op.bits())
                : Bits.getUnsigned(s, length, op.offset(), op.bits());
    }

    private static Bits.FieldResult add(long value, long incr, FieldOp op) {
        return op.signed() ? Bits.addSigned(value, incr, op.bits(), op.overflow())
                : Bits.addUnsigned(value, incr, op.bits(), op.overflow());
    }
}
