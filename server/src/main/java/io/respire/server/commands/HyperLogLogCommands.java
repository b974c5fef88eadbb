package io.respire.server.commands;

import io.respire.ds.hll.CorruptHllException;
import io.respire.ds.hll.HllSelfTest;
import io.respire.ds.hll.HyperLogLog;
import io.respire.ds.string.MutableString;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.command.CommandTable;
import io.respire.server.keyspace.Keys;
import io.respire.server.keyspace.StringValues;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * HyperLogLog commands (Redis's hyperloglog.c): PFADD, PFCOUNT, PFMERGE, PFDEBUG and PFSELFTEST.
 * A HyperLogLog is a string value in Redis's layout ({@link HyperLogLog}); a value is changed in
 * place once made a {@link MutableString} (Redis's dbUnshareStringValue, which is also why OBJECT
 * ENCODING then says "raw").
 */
public final class HyperLogLogCommands {
    private HyperLogLogCommands() {
    }

    static void register(CommandTable table) {
        table.register("pfadd", HyperLogLogCommands::pfadd);
        table.register("pfcount", HyperLogLogCommands::pfcount);
        table.register("pfmerge", HyperLogLogCommands::pfmerge);
        table.register("pfdebug", HyperLogLogCommands::pfdebug);
        table.register("pfselftest", HyperLogLogCommands::pfselftest);
    }

    static final String INVALID_HLL = "INVALIDOBJ Corrupted HLL object detected";
    static final String NOT_HLL = "WRONGTYPE Key is not a valid HyperLogLog string value.";

    /** Redis's isHLLObjectOrReply on a value already known to be a string (lookups check the type). */
    private static void checkHll(Object value) {
        if (!HyperLogLog.isValid(StringValues.array(value), StringValues.length(value))) {
            throw new CommandError(NOT_HLL);
        }
    }

    /** The HyperLogLog at {@code key} for reading, or null if missing; WRONGTYPE for anything else. */
    private static Object lookupRead(Client c, byte[] key) {
        Object value = StringValues.lookupRead(c, key);
        if (value != null) {
            checkHll(value);
        }
        return value;
    }

    private static long sparseMaxBytes(Client c) {
        return c.server().config().hllSparseMaxBytes.value();
    }

    /** PFADD key [element ...]: 1 if the key was created or a register changed, else 0. */
    static void pfadd(Client c) {
        byte[] key = c.arg(1);
        Object value = StringValues.lookupWrite(c, key);
        MutableString hll;
        int updated = 0;
        if (value == null) {
            hll = new MutableString(HyperLogLog.create());
            c.db().put(key, hll);
            updated++;
        } else {
            checkHll(value);
            hll = StringValues.unshare(c.db(), key, value);
        }
        long maxBytes = sparseMaxBytes(c);
        for (int j = 2; j < c.argc(); j++) {
            try {
                if (HyperLogLog.add(hll, c.arg(j), maxBytes)) {
                    updated++;
                }
            } catch (CorruptHllException e) {
                // Registers already raised stay so, unsignalled: as on Redis.
                throw new CommandError(INVALID_HLL);
            }
        }
        if (updated > 0) {
            HyperLogLog.invalidateCache(hll.array());
            // Each change counts towards the dirty counter, creation included.
            c.server().keyModified(c.db(), key, "pfadd", updated);
        }
        c.reply().integer(updated > 0 ? 1 : 0);
    }

    /** PFCOUNT key [key ...]: the estimate for one key (cached in its header), or for the union of several. */
    static void pfcount(Client c) {
        if (c.argc() > 2) {
            c.reply().integer(HyperLogLog.countRaw(union(c, 1)));
            return;
        }
        byte[] key = c.arg(1);
        Object value = lookupRead(c, key);
        if (value == null) {
            c.reply().integer(0);
            return;
        }
        // Redis unshares the value even when the cache is fresh.
        MutableString hll = StringValues.unshare(c.db(), key, value);
        byte[] a = hll.array();
        if (HyperLogLog.cacheValid(a)) {
            c.reply().integer(HyperLogLog.cachedCardinality(a));
            return;
        }
        long card = count(hll);
        HyperLogLog.storeCardinality(a, card);
        // The cache is part of the string, so the value changed: the key is signalled (WATCH) and
        // counted dirty, but there is no keyspace event.
        c.server().keyModified(c.db(), key, null);
        c.reply().integer(card);
    }

    private static long count(MutableString hll) {
        try {
            return HyperLogLog.count(hll.array(), hll.length());
        } catch (CorruptHllException e) {
            throw new CommandError(INVALID_HLL);
        }
    }

    /**
     * The registers of the union of the HyperLogLogs at arguments {@code from} on (missing keys
     * are empty), checking each; no key is written.
     */
    private static byte[] union(Client c, int from) {
        byte[] max = HyperLogLog.newRawRegisters();
        for (int j = from; j < c.argc(); j++) {
            Object value = lookupRead(c, c.arg(j));
            if (value != null) {
                mergeInto(max, value);
            }
        }
        return max;
    }

    private static void mergeInto(byte[] max, Object value) {
        try {
            HyperLogLog.mergeInto(max, StringValues.array(value), StringValues.length(value));
        } catch (CorruptHllException e) {
            throw new CommandError(INVALID_HLL);
        }
    }

    /**
     * PFMERGE destkey [sourcekey ...]: the union of all the keys, destination included, written to
     * the destination, which is made dense if any of them is.
     */
    static void pfmerge(Client c) {
        byte[] max = HyperLogLog.newRawRegisters();
        boolean dense = false;
        for (int j = 1; j < c.argc(); j++) {
            Object value = lookupRead(c, c.arg(j));
            if (value != null) {
                dense |= HyperLogLog.encoding(StringValues.array(value)) == HyperLogLog.Encoding.DENSE;
                mergeInto(max, value);
            }
        }
        byte[] key = c.arg(1);
        Object value = Keys.lookupWrite(c, key); // checked above, as the first source
        MutableString hll;
        if (value == null) {
            hll = new MutableString(HyperLogLog.create());
            c.db().put(key, hll);
        } else {
            hll = StringValues.unshare(c.db(), key, value);
        }
        if (dense) {
            toDense(hll);
        }
        // A value merged above without error is valid, so writing its union cannot fail.
        HyperLogLog.setAll(hll, max, sparseMaxBytes(c));
        HyperLogLog.invalidateCache(hll.array());
        // Redis's event for a merge is "pfadd": in effect many elements added.
        c.server().keyModified(c.db(), key, "pfadd");
        c.reply().ok();
    }

    private static boolean toDense(MutableString hll) {
        try {
            return HyperLogLog.toDense(hll);
        } catch (CorruptHllException e) {
            throw new CommandError(INVALID_HLL);
        }
    }

    /**
     * PFDEBUG GETREG|DECODE|ENCODING|TODENSE key. The key is looked up (and unshared) before the
     * subcommand is known, so a missing key is the first error. GETREG and TODENSE convert a
     * sparse value for good, counted dirty but not signalled, as in Redis. (The command's arity is
     * exactly 3, so Redis's per-subcommand arity errors cannot arise.)
     */
    static void pfdebug(Client c) {
        byte[] key = c.arg(2);
        Object value = StringValues.lookupWrite(c, key);
        if (value == null) {
            throw new CommandError("ERR The specified key does not exist");
        }
        checkHll(value);
        MutableString hll = StringValues.unshare(c.db(), key, value);
        if (c.argIs(1, "GETREG")) {
            pfdebugGetreg(c, key, hll);
        } else if (c.argIs(1, "DECODE")) {
            pfdebugDecode(c, hll);
        } else if (c.argIs(1, "ENCODING")) {
            c.reply().simple(HyperLogLog.encoding(hll.array()).label());
        } else if (c.argIs(1, "TODENSE")) {
            boolean converted = toDense(hll);
            if (converted) {
                convertedInPlace(c, key);
            }
            c.reply().integer(converted ? 1 : 0);
        } else {
            throw new CommandError("ERR Unknown PFDEBUG subcommand '"
                    + new String(c.arg(1), StandardCharsets.UTF_8) + "'");
        }
    }

    private static void pfdebugGetreg(Client c, byte[] key, MutableString hll) {
        if (toDense(hll)) {
            convertedInPlace(c, key);
        }
        int[] registers = HyperLogLog.registers(hll.array());
        c.reply().array(registers.length);
        for (int r : registers) {
            c.reply().integer(r);
        }
    }

    /**
     * A sparse value made dense by PFDEBUG: dirty, not signalled (as Redis), but measured again,
     * as the dense value is about 12 KB where the sparse one was a few hundred bytes.
     */
    private static void convertedInPlace(Client c, byte[] key) {
        c.server().addDirty(1);
        c.db().reaccount(key);
    }

    private static void pfdebugDecode(Client c, MutableString hll) {
        if (HyperLogLog.encoding(hll.array()) != HyperLogLog.Encoding.SPARSE) {
            throw new CommandError("ERR HLL encoding is not sparse");
        }
        c.reply().bulk(HyperLogLog.decodeSparse(hll.array(), hll.length()));
    }

    /** PFSELFTEST: OK, or the failure as an error (see {@link HllSelfTest}). */
    static void pfselftest(Client c) {
        String failure = HllSelfTest.run(sparseMaxBytes(c), ThreadLocalRandom.current());
        if (failure != null) {
            throw new CommandError("ERR " + failure);
        }
        c.reply().ok();
    }
}
