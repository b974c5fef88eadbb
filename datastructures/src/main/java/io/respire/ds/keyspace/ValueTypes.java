package io.respire.ds.keyspace;

import io.respire.ds.hash.HashValue;
import io.respire.ds.list.QuickList;
import io.respire.ds.set.SetValue;
import io.respire.ds.stream.Stream;
import io.respire.ds.string.MutableString;
import io.respire.ds.util.Numbers;
import io.respire.ds.zset.ZSetValue;

import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.function.UnaryOperator;

/**
 * What Redis keeps in an object's {@code type} and {@code encoding} fields, derived from the Java
 * class of a stored value: the type name (TYPE, SCAN TYPE), the encoding (OBJECT ENCODING, DEBUG
 * OBJECT), the reference count Redis would report, and a deep copy (COPY).
 *
 * <p>Each Java class that can be stored as a value has one {@link Kind} in {@link #KINDS}. A new
 * value type plugs in by adding one entry there: its Redis type name, how to name its current
 * encoding, how to deep-copy it (collections are mutable, so COPY must not share them) and how
 * many heap bytes it holds (MEMORY USAGE), and what measuring that costs (the keyspace's running
 * memory total, see {@link Footprint}).
 */
public final class ValueTypes {
    private ValueTypes() {
    }

    /** Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT: longer strings are "raw". */
    public static final int EMBSTR_SIZE_LIMIT = 44;
    /** Redis's OBJ_SHARED_INTEGERS: 0..9999 are shared objects. */
    public static final long SHARED_INTEGERS = 10000;
    /** Redis's OBJ_SHARED_REFCOUNT, what OBJECT REFCOUNT says for a shared object. */
    public static final long SHARED_REFCOUNT = Integer.MAX_VALUE;

    /** The header of a Java array on a 64-bit JVM with compressed references. */
    private static final int ARRAY_HEADER = 16;
    /** A MutableString object: header, the accounting fields, array reference, length and flag. */
    private static final int MUTABLE_STRING_SIZE = 48;

    /**
     * One Java class of stored value: its Redis type name, encoding, deep copy, an estimate of
     * the heap bytes it holds (the whole value, walked exactly: see each class's memoryUsage) and
     * the cost of that walk, counted as Redis's lazyfreeGetFreeEffort counts the allocations of a
     * value (1 for a compact encoding; the elements, list nodes, or stream nodes and consumer-group
     * entries otherwise).
     */
    public record Kind<T>(String type, Class<T> javaClass, Function<T, String> encoding, UnaryOperator<T> copy,
            ToLongFunction<T> memoryUsage, ToLongFunction<T> measureCost) {
    }

    /** An array, not a List: {@link #kindOf} runs for each value stored or removed; an iterator showed in profiles. */
    private static final Kind<?>[] KINDS = {
            // A copy may share a byte[]: the table copies a short one as it stores it (Dict.set)
            // and never writes into a longer one.
            new Kind<>("string", byte[].class, ValueTypes::stringEncoding, v -> v, v -> arrayBytes(v.length), v -> 1),
            // The spare room kept for appends counts: it is allocated.
            new Kind<>("string", MutableString.class,
                    v -> v.embedded() && v.length() <= EMBSTR_SIZE_LIMIT ? "embstr" : "raw", MutableString::copy,
                    v -> MUTABLE_STRING_SIZE + arrayBytes(v.array().length), v -> 1),
            new Kind<>("set", SetValue.class, SetValue::encoding, SetValue::copy, SetValue::memoryUsage,
                    v -> v.isIntset() ? 1 : v.size()),
            new Kind<>("zset", ZSetValue.class, ZSetValue::encoding, ZSetValue::copy, ZSetValue::memoryUsage,
                    v -> v.isListpack() ? 1 : v.size()),
            // Redis 7.0 reports every list as a quicklist, however short.
            new Kind<>("list", QuickList.class, v -> "quicklist", QuickList::copy, QuickList::memoryUsage,
                    QuickList::nodeCount),
            new Kind<>("hash", HashValue.class, HashValue::encoding, HashValue::copy, HashValue::memoryUsage,
                    v -> v.isListpack() ? 1 : v.size()),
            new Kind<>("stream", Stream.class, v -> "stream", Stream::copy, Stream::memoryUsage, Stream::freeEffort)};

    /** The kind of a stored value; a value of an unregistered class is a programming error. */
    @SuppressWarnings("unchecked")
    public static <T> Kind<T> kindOf(Object value) {
        for (int i = 0; i < KINDS.length; i++) {
            if (KINDS[i].javaClass().isInstance(value)) {
                return (Kind<T>) KINDS[i];
            }
        }
        throw new IllegalStateException("no ValueTypes.Kind for " + value.getClass().getName());
    }

    /** Redis's getObjectTypeName: "string", "list", ... or "none" for a missing key (null). */
    public static String typeName(Object value) {
        return value == null ? "none" : kindOf(value).type();
    }

    /** Redis's strEncoding(o->encoding) for a stored value. */
    public static String encoding(Object value) {
        return kindOf(value).encoding().apply(value);
    }

    /** A copy that shares nothing mutable with {@code value} (Redis's dupStringObject, listTypeDup...). */
    public static Object copy(Object value) {
        return kindOf(value).copy().apply(value);
    }

    /**
     * The heap bytes a stored value holds, as estimated by its class for a 64-bit JVM with
     * compressed references (MEMORY USAGE). Every element is counted; nothing is sampled.
     */
    public static long memoryUsage(Object value) {
        if (value instanceof byte[] string) { // most values: no lookup of the kind
            return arrayBytes(string.length);
        }
        return kindOf(value).memoryUsage().applyAsLong(value);
    }

    /** The cost of {@link #memoryUsage} for this value, in steps (see {@link Kind}). */
    public static long measureCost(Object value) {
        return kindOf(value).measureCost().applyAsLong(value);
    }

    /** Heap bytes of a byte array of {@code length}: header and data, padded to 8 bytes. */
    public static long arrayBytes(long length) {
        return (ARRAY_HEADER + length + 7) & ~7L;
    }

    /**
     * What OBJECT REFCOUNT says: Redis shares the objects of the integers 0..9999 (unless an LRU or
     * LFU eviction policy with a memory limit needs per-key access data), and reports
     * {@link #SHARED_REFCOUNT} for them; every other value belongs to its key alone.
     */
    public static long refcount(Object value, boolean sharedIntegers) {
        if (sharedIntegers && value instanceof byte[] b && stringEncoding(b).equals("int")) {
            long v = Numbers.parseLong(b);
            if (v >= 0 && v < SHARED_INTEGERS) {
                return SHARED_REFCOUNT;
            }
        }
        return 1;
    }

    /**
     * Redis's tryObjectEncoding as applied when a string is stored: the canonical text of a long (at
     * most 20 characters) is kept as an integer, short strings are "embstr", the rest "raw".
     */
    public static String stringEncoding(byte[] value) {
        if (value.length <= 20 && Numbers.isLong(value)) {
            return "int";
        }
        return value.length <= EMBSTR_SIZE_LIMIT ? "embstr" : "raw";
    }
}
