package io.respire.server.commands;

import io.respire.ds.keyspace.Database;
import io.respire.ds.keyspace.ValueTypes;
import io.respire.protocol.Reply;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.Errors;
import io.respire.server.ServerContext;
import io.respire.server.command.Args;
import io.respire.server.command.CommandTable;
import io.respire.server.command.Help;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * MEMORY USAGE, STATS, DOCTOR, MALLOC-STATS, PURGE and HELP (Redis's object.c memoryCommand).
 *
 * <p>Redis counts what its allocator hands out, byte for byte. The JVM has no such count (its heap
 * in use includes garbage not yet collected and is shared by every server embedded in the same
 * JVM), so the figures come from the server's own accounting ({@link ServerContext#usedMemory}):
 * <ul>
 * <li>USAGE estimates the heap bytes one key costs, for a 64-bit JVM with compressed references:
 * the key array, its keyspace entry (see {@link #entryBytes}) and the value as
 * {@link ValueTypes#memoryUsage} estimates it. Redis samples SAMPLES elements of a large aggregate
 * (default 5) and extrapolates; we count every element, so the estimate is exact whatever SAMPLES
 * says (it is still validated as Redis does). That costs O(N) for hashtable and skiplist
 * encodings, as Redis's SAMPLES 0 does.</li>
 * <li>STATS reports the accounted memory as total.allocated, the committed heap as
 * allocator.active and the resident set as allocator.resident (as INFO memory does), and the
 * keyspace overhead from the same per-key entry sizes.</li>
 * <li>DOCTOR only makes the checks that mean something on the JVM (see {@link #doctor}).</li>
 * <li>MALLOC-STATS describes the JVM's heap and collectors instead of jemalloc's arenas.</li>
 * </ul>
 */
public final class MemoryCommands {
    private MemoryCommands() {
    }

    static void register(CommandTable table) {
        table.register("memory|usage", MemoryCommands::usage);
        table.register("memory|stats", MemoryCommands::stats);
        table.register("memory|doctor", MemoryCommands::doctor);
        table.register("memory|malloc-stats", MemoryCommands::mallocStats);
        // The JVM returns unused heap to the system by itself (G1 uncommits it after collections).
        // Forcing a full collection here with System.gc() would stop the executor, and every
        // server sharing this JVM, for as long as it takes: not worth it for an advisory command.
        table.register("memory|purge", c -> c.reply().ok());
        table.register("memory|help", MemoryCommands::help);
    }

    /** Below this much heap in use beyond startup, DOCTOR declines to judge (Redis's 5 MB). */
    private static final long DOCTOR_MIN_BYTES = 5L << 20;
    /** Average client memory above which DOCTOR reports big client buffers (Redis's 200 KB). */
    private static final long DOCTOR_CLIENT_BYTES = 200L << 10;

    /** MEMORY USAGE key [SAMPLES count]: bytes of the key, its entry and value; null if absent. */
    static void usage(Client c) {
        for (int j = 3; j < c.argc(); j++) {
            if (c.argIs(j, "SAMPLES") && j + 1 < c.argc()) {
                if (Args.longArg(c, ++j) < 0) {
                    throw new CommandError(Errors.SYNTAX);
                }
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        // As Redis, a key that has expired but is still stored counts: nothing is expired here.
        byte[] key = c.arg(2);
        Object value = c.db().peek(key);
        if (value == null) {
            c.reply().nullBulk();
            return;
        }
        boolean volatileKey = c.db().expireAt(key) != -1;
        c.reply().integer(ValueTypes.arrayBytes(key.length) + entryBytes(volatileKey) + ValueTypes.memoryUsage(value));
    }

    /**
     * The keyspace's own cost for one key: its entry, and a bucket (the table has about one per
     * key; Redis does not count its bucket pointers, but on the JVM they are a fair share).
     */
    private static long entryBytes(boolean volatileKey) {
        return Database.ENTRY_BYTES + Database.BUCKET_BYTES + (volatileKey ? Database.EXPIRY_BYTES : 0);
    }

    /** Redis's redisMemOverhead with our figures (see the class comment). */
    private record Overhead(long used, long peak, long startup, long committed, long rss, long clients,
            long replicaClients, long backlog, long luaCaches, long functionsCaches, List<DbOverhead> dbs, long keys) {
        static Overhead measure(ServerContext server) {
            Runtime rt = Runtime.getRuntime();
            server.sampleClientsMemory();
            long used = server.usedMemory();
            long committed = rt.totalMemory();
            List<DbOverhead> dbs = new ArrayList<>();
            long keys = 0;
            for (int i = 0; i < server.databaseCount(); i++) {
                Database db = server.database(i);
                if (db.size() > 0) {
                    keys += db.size();
                    dbs.add(DbOverhead.of(i, db));
                }
            }
            return new Overhead(used, server.notePeakMemory(used), server.startupMemory(), committed,
                    InfoReport.residentSetSize(committed), server.clientsMemory(), server.replicaClientsMemory(),
                    server.replication().backlogAllocated(), server.scripting().eval().scriptsMemory(), server.scripting().functions().overheadMemory(), dbs, keys);
        }

        long total() {
            long total = startup + clients + backlog + luaCaches + functionsCaches;
            for (DbOverhead db : dbs) {
                total += db.main + db.expires;
            }
            return total;
        }

        /** What is neither overhead nor startup: the data (and, on the JVM, garbage). */
        long dataset() {
            return Math.max(0, used - total());
        }

        /** The heap in use beyond startup (at least 1, as Redis's net_usage). */
        long netUsage() {
            return used > startup ? used - startup : 1;
        }
    }

    /** One database's keyspace overhead: entries and buckets, and what TTLs add. */
    private record DbOverhead(int id, long main, long expires) {
        static DbOverhead of(int id, Database db) {
            return new DbOverhead(id, db.mainOverhead(), db.expiresOverhead());
        }
    }

    /** MEMORY STATS: Redis's fields, in Redis's order, with our figures. */
    static void stats(Client c) {
        Overhead m = Overhead.measure(c.server());
        Reply r = c.reply();
        r.map(27 + m.dbs().size());
        field(r, "peak.allocated", m.peak());
        field(r, "total.allocated", m.used());
        field(r, "startup.allocated", m.startup());
        field(r, "replication.backlog", m.backlog());
        field(r, "clients.slaves", m.replicaClients());
        field(r, "clients.normal", m.clients() - m.replicaClients());
        field(r, "cluster.links", 0);
        field(r, "aof.buffer", 0);
        field(r, "lua.caches", m.luaCaches());
        field(r, "functions.caches", m.functionsCaches());
        for (DbOverhead db : m.dbs()) {
            r.bulk("db." + db.id());
            r.map(3);
            field(r, "overhead.hashtable.main", db.main());
            field(r, "overhead.hashtable.expires", db.expires());
            field(r, "overhead.hashtable.slot-to-keys", 0);
        }
        field(r, "overhead.total", m.total());
        field(r, "keys.count", m.keys());
        field(r, "keys.bytes-per-key", m.keys() == 0 ? 0 : m.netUsage() / m.keys());
        field(r, "dataset.bytes", m.dataset());
        ratio(r, "dataset.percentage", m.dataset() * 100.0, m.netUsage());
        ratio(r, "peak.percentage", m.used() * 100.0, m.peak());
        field(r, "allocator.allocated", m.used());
        field(r, "allocator.active", m.committed());
        field(r, "allocator.resident", m.rss());
        ratio(r, "allocator-fragmentation.ratio", m.committed(), m.used());
        field(r, "allocator-fragmentation.bytes", m.committed() - m.used());
        ratio(r, "allocator-rss.ratio", m.rss(), m.committed());
        field(r, "allocator-rss.bytes", m.rss() - m.committed());
        ratio(r, "rss-overhead.ratio", 1, 1);
        field(r, "rss-overhead.bytes", 0);
        ratio(r, "fragmentation", m.rss(), m.used());
        field(r, "fragmentation.bytes", m.rss() - m.used());
    }

    private static void field(Reply r, String name, long value) {
        r.bulk(name);
        r.integer(value);
    }

    /** A ratio field; 0 when the divisor is (Redis would print inf or nan, never useful). */
    private static void ratio(Reply r, String name, double dividend, long divisor) {
        r.bulk(name);
        r.doubleValue(divisor == 0 ? 0 : dividend / divisor);
    }

    /**
     * MEMORY DOCTOR (Redis's getMemoryDoctorReport). Of Redis's checks only the client buffers
     * apply: the peak, fragmentation and RSS checks judge a malloc heap, whereas a JVM heap rises
     * and falls with its garbage by design and keeps committed memory on purpose; there are no
     * replicas, and scripts are not cached by the thousand.
     */
    static void doctor(Client c) {
        ServerContext server = c.server();
        long used = server.usedMemory();
        String report;
        if (used - server.startupMemory() < DOCTOR_MIN_BYTES) {
            report = "Hi Sam, this instance is empty or is using very little memory, "
                    + "my issues detector can't be used in these conditions. "
                    + "Please, leave for your mission on Earth and fill it with some data. "
                    + "The new Sam and I will be back to our programming as soon as I "
                    + "finished rebooting.\n";
        } else if (server.clientsMemory() / Math.max(1, server.clients().size()) > DOCTOR_CLIENT_BYTES) {
            report = "Sam, I detected a few issues in this Redis instance memory implants:\n\n"
                    + " * Big client buffers: The clients output buffers in this instance are greater than 200K "
                    + "per client (on average). This may result from different causes, like Pub/Sub clients "
                    + "subscribed to channels bot not receiving data fast enough, so that data piles on the Redis "
                    + "instance output buffer, or clients sending commands with large replies or very large "
                    + "sequences of commands in the same pipeline. Please use the CLIENT LIST command in order to "
                    + "investigate the issue if it causes problems in your instance, or to understand better why "
                    + "certain clients are using a big amount of memory.\n\n"
                    + "I'm here to keep you safe, Sam. I want to help you.\n";
        } else {
            report = "Hi Sam, I can't find any memory issue in your instance. "
                    + "I can only account for what occurs on this base.\n";
        }
        c.reply().verbatim("txt", report);
    }

    /**
     * MEMORY MALLOC-STATS: Redis prints jemalloc's statistics; here the JVM manages memory, so
     * this describes the heap, its pools and its collectors.
     */
    static void mallocStats(Client c) {
        StringBuilder s = new StringBuilder("___ Begin JVM memory statistics ___\n");
        s.append("Memory is managed by the Java virtual machine's garbage collector, not by malloc.\n");
        Runtime rt = Runtime.getRuntime();
        s.append("heap.used: ").append(rt.totalMemory() - rt.freeMemory()).append('\n');
        s.append("heap.committed: ").append(rt.totalMemory()).append('\n');
        s.append("heap.max: ").append(rt.maxMemory()).append('\n');
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage u = pool.getUsage();
            s.append(String.format(Locale.ROOT, "pool \"%s\" (%s): used %d, committed %d, max %d\n",
                    pool.getName(), pool.getType(), u.getUsed(), u.getCommitted(), u.getMax()));
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            s.append(String.format(Locale.ROOT, "collector \"%s\": %d collections, %d ms\n",
                    gc.getName(), gc.getCollectionCount(), gc.getCollectionTime()));
        }
        s.append("___ End JVM memory statistics ___\n");
        c.reply().verbatim("txt", s.toString());
    }

    static void help(Client c) {
        Help.reply(c,
                "DOCTOR",
                "    Return memory problems reports.",
                "MALLOC-STATS",
                "    Return internal statistics report from the memory allocator.",
                "PURGE",
                "    Attempt to purge dirty pages for reclamation by the allocator.",
                "STATS",
                "    Return information about the memory usage of the server.",
                "USAGE <key> [SAMPLES <count>]",
                "    Return memory in bytes used by <key> and its value. Nested values are",
                "    sampled up to <count> times (default: 5, 0 means sample all).");
    }
}
