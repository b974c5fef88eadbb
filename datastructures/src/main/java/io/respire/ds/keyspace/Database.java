package io.respire.ds.keyspace;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * One of the numbered databases: keys (binary-safe byte arrays) to values, with optional expiry
 * times. It knows nothing of commands or the network.
 *
 * <p>Values are plain objects: a {@code byte[]} or {@link io.respire.ds.string.MutableString} for a
 * string, and the collection types for the rest. Expired keys are removed lazily when looked up
 * with {@link #lookup} and actively by {@link #activeExpireCycle}; either way the
 * expiry listener hears of it, so that the server can count it and propagate a DEL.
 *
 * <p>Keys, values and expiry times all live in one {@link Dict}: unlike Redis there is no second
 * {@code expires} table, because a key with a TTL is stored as a slightly larger entry that also
 * sits in an array-backed expiry index (4 bytes per such key), which is what active expiry
 * samples. This keeps the per-key overhead at about 36 bytes (40 with a TTL) on top of the key
 * and value arrays, and the Dict's incremental rehashing keeps every operation's latency bounded
 * however large the database grows. Key arrays passed in are kept, not copied: callers must not
 * modify them afterwards. Not thread-safe: the server's executor owns all databases.
 *
 * <p>It keeps a running total of the heap bytes its keys, entries and values hold ({@link #memory}),
 * for INFO's used_memory and maxmemory: every key added, overwritten or removed moves it, and a
 * value changed in place moves it when the owner says so with {@link #reaccount} (the server's
 * write gate). See {@link Footprint} for how values are measured.
 */
public final class Database {
    /** Told of a key: one that expiry removed, or one just added. */
    public interface KeyListener {
        void key(Database db, byte[] key);
    }

    /** A keyspace entry (Dict.Entry: header, key, value, next, lru). */
    public static final int ENTRY_BYTES = 32;
    /** What a TTL adds: the larger Dict.ExpiringEntry (40 bytes) and its slot in the expiry index. */
    public static final int EXPIRY_BYTES = 8 + 4;
    /** One bucket of the table: a compressed reference. */
    public static final int BUCKET_BYTES = 4;

    private final int id;
    private Dict dict;
    /** The policies given to the key table, kept for the table a flush during a snapshot starts. */
    private java.util.function.LongPredicate expandPolicy = bytes -> true;
    /** Bytes of the keys, their entries and their values (tables and TTLs are added by {@link #memory}). */
    private long bytes;
    private final SplittableRandom random;
    /** See {@link #avgTtl()}. */
    private long avgTtl;
    private KeyListener listener = (db, key) -> { };
    /** Told of every key added (not overwritten): Redis's dbAdd, which emits the "new" event. */
    private KeyListener additionListener = (db, key) -> { };
    /** The LRU/LFU value of new keys, kept for a table that replaces the current one. */
    private int newKeyLru;

    public Database(int id) {
        this.id = id;
        this.dict = new Dict();
        this.random = new SplittableRandom();
    }

    /** A database whose hash secret and expiry sampling derive from {@code seed} (for tests). */
    public Database(int id, long seed) {
        this.id = id;
        this.dict = new Dict(seed);
        this.random = new SplittableRandom(seed);
    }

    public int id() {
        return id;
    }

    public void expiryListener(KeyListener listener) {
        this.listener = listener;
    }

    /**
     * Sets who may refuse a growth of the key table that costs the given bytes (Redis's
     * dictExpandAllowed, which refuses one that would go past maxmemory; see {@link Dict#expandPolicy}).
     * SWAPDB exchanges tables but not this: give every database the same policy.
     */
    public void expandPolicy(java.util.function.LongPredicate allowed) {
        expandPolicy = allowed;
        dict.expandPolicy(allowed);
    }

    /** The key table's statistics in Redis's words (DEBUG HTSTATS; see {@link Dict#stats}). */
    public String keyTableStats() {
        return dict.stats();
    }

    /** Sets who hears of every key added to the database, not overwritten (Redis's dbAdd). */
    public void additionListener(KeyListener listener) {
        this.additionListener = listener;
    }

    /** The value of a live key, removing it first if it has expired by {@code nowMs}; or null. */
    public Object lookup(byte[] key, long nowMs) {
        Dict.Entry e = lookupEntry(key, nowMs);
        return e == null ? null : e.value();
    }

    /**
     * The entry of a live key, removing it first if it has expired by {@code nowMs}; or null. For
     * reading and updating the LRU/LFU field; the entry object is replaced when the key's expiry
     * is set or removed, so do not keep it.
     */
    public Dict.Entry lookupEntry(byte[] key, long nowMs) {
        Dict.Entry e = dict.find(key);
        if (e == null) {
            return null;
        }
        if (e instanceof Dict.ExpiringEntry x && x.expireAt <= nowMs) {
            dict.removeEntry(x);
            removed(x);
            listener.key(this, key);
            return null;
        }
        return e;
    }

    /** The value regardless of expiry (for DEBUG OBJECT, persistence): no side effects. */
    public Object peek(byte[] key) {
        Dict.Entry e = dict.peek(key);
        return e == null ? null : e.value();
    }

    /**
     * The entry of the key regardless of expiry, or null; no side effects at all (not even a
     * rehash step), for DEBUG OBJECT and OBJECT-like introspection. Do not keep the entry.
     */
    public Dict.Entry peekEntry(byte[] key) {
        return dict.peek(key);
    }

    /** Adds or overwrites the key, clearing any expiry (as Redis's setKey without KEEPTTL). */
    public void put(byte[] key, Object value) {
        set(key, value, false);
    }

    /** Overwrites the value of a key, keeping its expiry; adds it if absent. */
    public void replace(byte[] key, Object value) {
        set(key, value, true);
    }

    private void set(byte[] key, Object value, boolean keepExpiry) {
        Object old = dict.set(key, value, keepExpiry);
        if (old == null) {
            bytes += ValueTypes.arrayBytes(key.length) + ENTRY_BYTES + Footprint.account(value);
            additionListener.key(this, key);
        } else if (old == value) {
            bytes += Footprint.reaccount(value);
        } else {
            bytes += Footprint.account(value) - Footprint.accounted(old);
        }
    }

    /** Makes room for {@code keys} keys in all, ahead of a load (see {@link Dict#expand}). */
    public void expand(int keys) {
        dict.expand(keys);
    }

    /** Removes the key; returns whether it existed. */
    public boolean remove(byte[] key) {
        Dict.Entry e = dict.remove(key);
        if (e == null) {
            return false;
        }
        removed(e);
        return true;
    }

    /** Takes a removed entry out of the running total. */
    private void removed(Dict.Entry e) {
        bytes -= ValueTypes.arrayBytes(e.key().length) + ENTRY_BYTES + Footprint.accounted(e.value());
    }

    /**
     * The value of {@code key} may have changed in place (an element added, removed or changed):
     * measures it again for the running total (see {@link Footprint}). Nothing if the key is absent.
     */
    public void reaccount(byte[] key) {
        Dict.Entry e = dict.peek(key);
        if (e != null) {
            bytes += Footprint.reaccount(e.value());
        }
    }

    /**
     * The heap bytes this database holds: keys, entries, values, TTLs and the table's buckets,
     * as maintained incrementally (O(1); never a walk of the data).
     */
    public long memory() {
        return bytes + expiresOverhead() + (long) (dict.buckets() + dict.rehashTargetBuckets()) * BUCKET_BYTES;
    }

    /** Redis's overhead.hashtable.main: the entries and the table's buckets (part of {@link #memory}). */
    public long mainOverhead() {
        return (long) dict.size() * ENTRY_BYTES + (long) (dict.buckets() + dict.rehashTargetBuckets()) * BUCKET_BYTES;
    }

    /** Redis's overhead.hashtable.expires: what the TTLs add (part of {@link #memory}). */
    public long expiresOverhead() {
        return (long) dict.expiresSize() * EXPIRY_BYTES;
    }

    /** The absolute expiry time in ms, or -1 when the key has none (or does not exist). */
    public long expireAt(byte[] key) {
        return dict.expireAt(key);
    }

    /** Sets the absolute expiry of an existing key. */
    public void setExpireAt(byte[] key, long whenMs) {
        dict.setExpireAt(key, whenMs);
    }

    /** Removes the expiry; returns whether the key had one. */
    public boolean persist(byte[] key) {
        return dict.persist(key);
    }

    public int size() {
        return dict.size();
    }

    public int expiresSize() {
        return dict.expiresSize();
    }

    /**
     * Removes all keys in O(1): the garbage collector reclaims the old tables. While a snapshot
     * runs on the table, the table is left to it (nothing else changes it any more) and a new
     * empty one takes its place, so a flush costs the snapshot nothing.
     */
    public void clear() {
        if (!dict.snapshotRunning()) {
            dict.clear();
        } else {
            Dict fresh = new Dict();
            fresh.newEntryLru(newKeyLru);
            fresh.expandPolicy(expandPolicy);
            dict = fresh;
        }
        bytes = 0;
    }

    /** A random key (expired ones included, as Redis's dictGetFairRandomKey), or null if empty. */
    public byte[] randomKey(RandomGenerator random) {
        Dict.Entry e = dict.fairRandomEntry(random);
        return e == null ? null : e.key();
    }

    /**
     * A random entry (expired ones included), or null if empty, as Redis's dictGetRandomKey picks
     * it: what the random eviction policies remove. Entries in long chains are a little less
     * likely than with {@link #randomKey}, which samples 15 to offset that and costs as many
     * cache misses.
     */
    public Dict.Entry randomEntry(RandomGenerator random) {
        return dict.randomEntry(random);
    }

    /**
     * Up to {@code count} entries from a random position, into {@code out}; returns how many
     * (Redis's dictGetSomeKeys, what eviction samples: neither distinct nor uniform, but cheap).
     */
    public int sampleEntries(Dict.Entry[] out, int count, RandomGenerator random) {
        return dict.sampleEntries(out, count, random);
    }

    /** A uniformly random entry among the keys with a TTL (expired ones included), or null if none. */
    public Dict.Entry randomVolatileEntry(RandomGenerator random) {
        return dict.randomExpiring(random);
    }

    /**
     * One step of SCAN: calls {@code visitor} with some keys and returns the next cursor (an
     * unsigned 64-bit value), 0 at the end. Follows Redis's scanGenericCommand: it walks at least
     * one bucket (with Redis's reverse-binary cursor, see {@link Dict#scan}) and goes on until it
     * has {@code count} keys, the iteration ends, or it has made {@code count * 10} further
     * steps. Every key present during the whole iteration is returned at least once, even if the
     * database grows or shrinks between calls; some may be returned twice. Expired keys are
     * returned too. The visitor is called once the walk is done, so it may modify the database
     * (for instance look keys up to filter out the expired ones).
     */
    public long scan(long cursor, int count, BiConsumer<byte[], Object> visitor) {
        List<Dict.Entry> found = new ArrayList<>(Math.min(Math.max(count, 1), 1024) + 4);
        long maxIterations = Math.max(count, 1) * 10L;
        do {
            cursor = dict.scan(cursor, found::add);
        } while (cursor != 0 && maxIterations-- > 0 && found.size() < count);
        for (Dict.Entry e : found) {
            visitor.accept(e.key(), e.value());
        }
        return cursor;
    }

    /**
     * Calls {@code visitor} for every key and value (KEYS, persistence). The visitor must not
     * modify the database, not even by looking up keys with {@link #lookup} (which may expire
     * them); this is checked on a best-effort basis with a
     * {@link java.util.ConcurrentModificationException}. {@link #peek} is fine.
     */
    public void forEach(BiConsumer<byte[], Object> visitor) {
        dict.forEach(e -> visitor.accept(e.key(), e.value()));
    }

    /**
     * Calls {@code visitor} for every entry, expired ones included (persistence: the key, value,
     * expiry and LRU/LFU field). The same rules as {@link #forEach}: no changes during the walk.
     */
    public void forEachEntry(Consumer<Dict.Entry> visitor) {
        dict.forEach(visitor);
    }

    /**
     * Redis's activeExpireCycle for this database: samples keys with an expiry and removes the
     * expired ones, for at most {@code budget} samples. Returns how many keys it removed. Samples
     * are drawn uniformly at random (with replacement) from the keys that have an expiry, in O(1)
     * each; live keys are left untouched.
     */
    public int activeExpireCycle(long nowMs, int budget) {
        int removed = 0;
        long ttlSum = 0;
        int ttlSamples = 0;
        for (int i = 0; i < budget; i++) {
            Dict.ExpiringEntry x = dict.randomExpiring(random);
            if (x == null) {
                break;
            }
            long ttl = x.expireAt - nowMs;
            if (ttl <= 0) {
                dict.removeEntry(x);
                removed(x);
                listener.key(this, x.key());
                removed++;
            } else {
                ttlSum += ttl;
                ttlSamples++;
            }
        }
        if (ttlSamples > 0) { // Redis's running average: 2% this sample, 98% the estimate so far
            long sample = ttlSum / ttlSamples;
            if (avgTtl == 0) {
                avgTtl = sample;
            }
            avgTtl = avgTtl / 50 * 49 + sample / 50;
        }
        return removed;
    }

    /**
     * Redis's avg_ttl (INFO keyspace): the average time to live, in ms, of the keys with a TTL that
     * the active expiry found alive, a running average over its samples; 0 before any sample.
     */
    public long avgTtl() {
        return avgTtl;
    }

    /** Forgets the average TTL: the active expiry found no key with a TTL (as Redis's cycle does). */
    public void clearAvgTtl() {
        avgTtl = 0;
    }

    /**
     * Incremental rehashing for the server cron (Redis's incrementallyRehash): moves buckets for
     * about {@code ms} milliseconds if a resize is in progress. Returns roughly how many buckets
     * it moved.
     */
    public int rehashMilliseconds(long ms) {
        return dict.rehashMilliseconds(ms);
    }

    /**
     * Starts shrinking the table if it is under 10% full (Redis's tryResizeHashTables, for the
     * server cron; deletions also check this). Returns whether it started.
     */
    public boolean resizeIfNeeded() {
        return dict.shrinkIfNeeded();
    }

    /**
     * Sets the LRU/LFU value that keys added from now on start with (the server updates it as its
     * LRU clock advances; see {@link Dict.Entry#lru()}).
     */
    public void newKeyLru(int lru) {
        newKeyLru = lru;
        dict.newEntryLru(lru);
    }

    /**
     * Starts a point-in-time snapshot of this database's contents (see {@link Dict#startSnapshot})
     * and returns the table the snapshot walks: it stays the snapshot's even if SWAPDB moves it to
     * another database or a flush leaves it behind.
     */
    public Dict startSnapshot(Dict.SnapshotGate gate) {
        dict.startSnapshot(gate);
        return dict;
    }

    /** Whether a point-in-time snapshot runs on this database's table. */
    public boolean snapshotRunning() {
        return dict.snapshotRunning();
    }

    /**
     * The write gate for a value about to be changed in place (a collection after its lookup for
     * writing): a running snapshot records it first if it has not yet.
     */
    public void beforeWrite(Dict.Entry e) {
        dict.beforeChange(e);
    }

    /**
     * An empty database with this one's id, table policies and new-key LRU, that a file loads
     * into apart from the live data (Redis's dbAddRDBLoad: no "new" events, no listeners); see
     * {@link #adopt}.
     */
    public Database staging() {
        Database d = new Database(id);
        d.expandPolicy(expandPolicy);
        d.newKeyLru(newKeyLru);
        return d;
    }

    /** Takes the keys of a {@link #staging} database in O(1), this one being empty; listeners stay. */
    public void adopt(Database loaded) {
        if (size() != 0) {
            throw new IllegalStateException("adopting into a database that has keys");
        }
        swapWith(loaded);
    }

    /** Swaps the contents of two databases (SWAPDB) in O(1); ids and listeners stay. */
    public void swapWith(Database other) {
        Dict d = dict;
        dict = other.dict;
        other.dict = d;
        long b = bytes;
        bytes = other.bytes;
        other.bytes = b;
    }

    /** The underlying table (for diagnostics and tests). */
    Dict dict() {
        return dict;
    }
}
