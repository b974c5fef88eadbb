package io.respire.persistence;

import io.respire.ds.hash.HashValue;
import io.respire.ds.list.QuickList;
import io.respire.ds.listpack.Listpack;
import io.respire.ds.set.IntSet;
import io.respire.ds.set.SetValue;
import io.respire.ds.util.Doubles;
import io.respire.ds.zset.ZSetValue;

import java.util.HashSet;
import java.util.List;
import java.nio.ByteBuffer;

/**
 * Values from RDB data (Redis 7.0's rdbLoadObject): every type byte Redis 7.0 loads, today's and
 * the older encodings, each value given the encoding the server's {@link EncodingLimits} call for
 * (converted after loading as Redis converts it). Every blob is checked entry by entry before it
 * is used (Redis's deep sanitization, always on here: the data structures trust their layout),
 * duplicates are refused, and no count read from the data sizes an allocation before the bytes
 * are there.
 *
 * @throws RdbFormatException on bad data; {@link RdbFormatException.EmptyKey} for a value with no
 *         elements, which Redis skips
 */
public final class RdbValueReader {
    private RdbValueReader() {
    }

    /**
     * The value of a DUMP payload whose footer {@link DumpPayload#verify} accepted (RESTORE): its
     * type byte and value. Reads may run into the footer, as Redis's do.
     */
    public static Object restore(byte[] payload, EncodingLimits limits) {
        return restore(payload, limits, null);
    }

    /**
     * As {@link #restore(byte[], EncodingLimits)}; {@code blobValidation}, if not null, runs for
     * each listpack and intset blob of the value as it is validated (the packed nodes of a list,
     * an intset, a small hash or sorted set, a stream's nodes), even if the value then fails:
     * Redis's stat_dump_payload_sanitizations counts those.
     */
    public static Object restore(byte[] payload, EncodingLimits limits, Runnable blobValidation) {
        RdbInput in = new RdbInput(new RdbStrings.Reader(payload, 0, payload.length), blobValidation);
        int type = in.type("the value type");
        if (!RdbTypes.isObjectType(type)) {
            throw new RdbFormatException("Unknown RDB encoding type " + type);
        }
        return readGuarded(in, type, limits);
    }

    /**
     * {@link #read}, with any exception a structure raises on data that passed the checks turned
     * into a format error: a payload from a client must never end in an internal error.
     */
    static Object readGuarded(RdbInput in, int type, EncodingLimits limits) {
        try {
            return read(in, type, limits);
        } catch (RdbFormatException | java.io.UncheckedIOException e) {
            throw e; // the data's own error, or the file's (not the data's fault)
        } catch (RuntimeException e) {
            throw new RdbFormatException("value not valid (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Reads a value of RDB type {@code type} from {@code reader}. */
    public static Object read(RdbStrings.Reader reader, int type, EncodingLimits limits) {
        return read(new RdbInput(reader), type, limits);
    }

    static Object read(RdbInput in, int type, EncodingLimits limits) {
        return switch (type) {
            case RdbTypes.STRING -> in.string("a string value");
            case RdbTypes.LIST -> readLinkedList(in, limits);
            case RdbTypes.SET -> readSet(in, limits);
            case RdbTypes.ZSET, RdbTypes.ZSET_2 -> readZset(in, type, limits);
            case RdbTypes.HASH -> readHash(in, limits);
            case RdbTypes.LIST_QUICKLIST, RdbTypes.LIST_QUICKLIST_2 -> readQuicklist(in, type, limits);
            case RdbTypes.HASH_ZIPMAP -> hashOf(require(LegacyEncodings.zipmapToListpack(in.string("a zipmap")),
                    "Zipmap integrity check failed."), limits, true, "Hash zipmap with dup elements");
            case RdbTypes.LIST_ZIPLIST -> readZiplistList(in, limits);
            case RdbTypes.SET_INTSET -> readIntset(in, limits);
            case RdbTypes.ZSET_ZIPLIST -> zsetOf(require(LegacyEncodings.ziplistToListpack(in.string("a ziplist")),
                    "Zset ziplist integrity check failed."), limits);
            case RdbTypes.HASH_ZIPLIST -> hashOf(require(LegacyEncodings.ziplistToListpack(in.string("a ziplist")),
                    "Hash ziplist integrity check failed."), limits, false, "Hash ziplist integrity check failed.");
            case RdbTypes.ZSET_LISTPACK -> zsetOf(listpack(in, "Zset listpack integrity check failed."), limits);
            case RdbTypes.HASH_LISTPACK -> hashOf(listpack(in, "Hash listpack integrity check failed."), limits, false,
                    "Hash listpack integrity check failed.");
            case RdbTypes.STREAM_LISTPACKS, RdbTypes.STREAM_LISTPACKS_2 -> RdbStreams.read(in, type);
            case RdbTypes.MODULE, RdbTypes.MODULE_2 -> throw new RdbFormatException(
                    "The RDB file contains module data Respire can't load: Respire has no modules");
            default -> throw new RdbFormatException("Unknown RDB encoding type " + type);
        };
    }

    private static <T> T require(T value, String error) {
        if (value == null) {
            throw new RdbFormatException(error);
        }
        return value;
    }

    private static Listpack listpack(RdbInput in, String error) {
        byte[] blob = in.string("a listpack");
        in.validating();
        return require(Listpack.validated(blob, 0, blob.length), error);
    }

    private static QuickList newList(EncodingLimits limits) {
        return new QuickList(limits.listMaxListpackSize(), limits.listCompressDepth(), limits.listPackedThreshold());
    }

    /** RDB_TYPE_LIST, a linked list of Redis 3.0 and earlier: elements one by one. */
    private static QuickList readLinkedList(RdbInput in, EncodingLimits limits) {
        long n = in.count("List length", 1);
        if (n == 0) {
            throw new RdbFormatException.EmptyKey();
        }
        QuickList list = newList(limits);
        for (long i = 0; i < n; i++) {
            list.pushTail(in.string("a list element"));
        }
        return list;
    }

    private static QuickList readQuicklist(RdbInput in, int type, EncodingLimits limits) {
        long nodes = in.count("Quicklist length", 1);
        if (nodes == 0) {
            throw new RdbFormatException.EmptyKey();
        }
        QuickList list = newList(limits);
        for (long i = 0; i < nodes; i++) {
            long container = RdbTypes.CONTAINER_PACKED;
            if (type == RdbTypes.LIST_QUICKLIST_2) {
                container = in.length("Quicklist container");
                if (container != RdbTypes.CONTAINER_PACKED && container != RdbTypes.CONTAINER_PLAIN) {
                    throw new RdbFormatException("Quicklist integrity check failed.");
                }
            }
            byte[] data = in.string("a quicklist node");
            if (data.length == 0) {
                throw new RdbFormatException("Quicklist integrity check failed: empty node");
            }
            if (container == RdbTypes.CONTAINER_PLAIN) {
                list.appendPlainNode(data);
                continue;
            }
            if (type == RdbTypes.LIST_QUICKLIST_2) {
                in.validating();
            }
            Listpack lp = type == RdbTypes.LIST_QUICKLIST_2
                    ? require(Listpack.validated(data, 0, data.length), "Listpack integrity check failed.")
                    : require(LegacyEncodings.ziplistToListpack(data), "Ziplist integrity check failed.");
            lp.trimToSize();
            list.appendListpackNode(lp); // an empty node is skipped, as Redis does
        }
        if (list.isEmpty()) {
            throw new RdbFormatException.EmptyKey();
        }
        return list;
    }

    /** RDB_TYPE_LIST_ZIPLIST (Redis 3.0 and before): one ziplist, pushed into a new quicklist. */
    private static QuickList readZiplistList(RdbInput in, EncodingLimits limits) {
        List<byte[]> entries = require(LegacyEncodings.ziplistEntries(in.string("a ziplist")),
                "List ziplist integrity check failed.");
        if (entries.isEmpty()) {
            throw new RdbFormatException.EmptyKey();
        }
        QuickList list = newList(limits);
        entries.forEach(list::pushTail);
        return list;
    }

    private static SetValue readSet(RdbInput in, EncodingLimits limits) {
        long n = in.count("Set length", 1);
        if (n == 0) {
            throw new RdbFormatException.EmptyKey();
        }
        long maxIntset = Math.min(limits.setMaxIntsetEntries(), 1L << 30);
        SetValue set = n > maxIntset ? SetValue.hashtable((int) in.presize(n)) : SetValue.create();
        for (long i = 0; i < n; i++) {
            if (!set.add(in.string("a set member"), maxIntset)) {
                throw new RdbFormatException("Duplicate set members detected");
            }
        }
        return set;
    }

    private static SetValue readIntset(RdbInput in, EncodingLimits limits) {
        byte[] blob = in.string("an intset");
        in.validating();
        IntSet ints = require(IntSet.fromBlob(blob), "Intset integrity check failed.");
        if (ints.size() == 0) {
            throw new RdbFormatException.EmptyKey();
        }
        SetValue set = SetValue.ofIntset(ints);
        if (ints.size() > limits.setMaxIntsetEntries()) {
            set.convertToHashtable();
        }
        return set;
    }

    private static ZSetValue readZset(RdbInput in, int type, EncodingLimits limits) {
        long n = in.count("Zset length", 2);
        if (n == 0) {
            throw new RdbFormatException.EmptyKey();
        }
        ZSetValue zset = ZSetValue.skiplist();
        ZSetValue.Limits noListpack = new ZSetValue.Limits(0, 0);
        for (long i = 0; i < n; i++) {
            byte[] member = in.string("a zset member");
            double score = type == RdbTypes.ZSET_2 ? in.binaryDouble("a zset score") : in.textDouble("a zset score");
            if (Double.isNaN(score)) {
                throw new RdbFormatException("Zset with NAN score detected");
            }
            if (zset.add(score, member, ZSetValue.NX, null, noListpack) != ZSetValue.ADDED) {
                throw new RdbFormatException("Duplicate zset fields detected");
            }
        }
        zset.convertToListpackIfFits(limits.zsetLimits());
        return zset;
    }

    /** A sorted set over a listpack of member/score pairs, checked: pairs, scores, no duplicates. */
    private static ZSetValue zsetOf(Listpack pairs, EncodingLimits limits) {
        checkPairs(pairs, "Zset listpack integrity check failed.");
        for (int p = pairs.first(); p != Listpack.NONE; p = pairs.next(pairs.next(p))) {
            int score = pairs.next(p);
            if (!pairs.isInteger(score) && !isScore(pairs.get(score))) {
                throw new RdbFormatException("Zset listpack integrity check failed: bad score");
            }
        }
        if (pairs.isEmpty()) {
            throw new RdbFormatException.EmptyKey();
        }
        pairs.trimToSize();
        ZSetValue zset = ZSetValue.ofListpack(pairs);
        if (zset.size() > limits.zsetMaxListpackEntries()) {
            zset.convertToSkiplist();
        }
        return zset;
    }

    /** Whether a listpack score reads as a number, as the sorted set's readers will read it. */
    private static boolean isScore(byte[] text) {
        try {
            Doubles.parse(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Up to this many pairs, fields are compared with each other in place rather than hashed. */
    private static final int SMALL_PAIRS = 16;

    /** An even number of entries and no field twice (lpPairsValidateIntegrityAndDups). */
    private static void checkPairs(Listpack pairs, String error) {
        if (pairs.size() % 2 != 0) {
            throw new RdbFormatException(error);
        }
        if (pairs.size() / 2 <= SMALL_PAIRS ? hasDuplicateFieldSmall(pairs) : hasDuplicateField(pairs)) {
            throw new RdbFormatException(error + " (listpack with dup elements)");
        }
    }

    /** Each field against the later ones, without copying: a load checks a million small hashes and sets. */
    private static boolean hasDuplicateFieldSmall(Listpack pairs) {
        for (int p = pairs.first(); p != Listpack.NONE; p = pairs.next(pairs.next(p))) {
            for (int q = pairs.next(pairs.next(p)); q != Listpack.NONE; q = pairs.next(pairs.next(q))) {
                if (pairs.sameValue(p, q)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean hasDuplicateField(Listpack pairs) {
        HashSet<ByteBuffer> seen = new HashSet<>();
        for (int p = pairs.first(); p != Listpack.NONE; p = pairs.next(pairs.next(p))) {
            if (!seen.add(ByteBuffer.wrap(pairs.get(p)))) {
                return true;
            }
        }
        return false;
    }

    private static HashValue hashOf(Listpack pairs, EncodingLimits limits, boolean checkValues, String dupError) {
        checkPairs(pairs, dupError);
        if (pairs.isEmpty()) {
            throw new RdbFormatException.EmptyKey();
        }
        pairs.trimToSize();
        HashValue hash = HashValue.ofListpack(pairs);
        boolean tooLong = false;
        if (checkValues) {
            for (int p = pairs.first(); p != Listpack.NONE; p = pairs.next(p)) {
                tooLong |= pairs.valueLength(p) > limits.hashMaxListpackValue();
            }
        }
        if (tooLong || hash.size() > limits.hashMaxListpackEntries()) {
            hash.convertToTable();
        }
        return hash;
    }

    /** RDB_TYPE_HASH: pairs one by one, into a listpack while they fit the limits. */
    private static HashValue readHash(RdbInput in, EncodingLimits limits) {
        long n = in.count("Hash length", 2);
        if (n == 0) {
            throw new RdbFormatException.EmptyKey();
        }
        HashValue hash = new HashValue();
        if (n > limits.hashMaxListpackEntries()) {
            hash.convertToTable();
        }
        for (long i = 0; i < n; i++) {
            byte[] field = in.string("a hash field");
            byte[] value = in.string("a hash value");
            if (!hash.set(field, value, limits.hashMaxListpackEntries(), limits.hashMaxListpackValue())) {
                throw new RdbFormatException("Duplicate hash fields detected");
            }
        }
        return hash;
    }
}
