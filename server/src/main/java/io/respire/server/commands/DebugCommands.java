package io.respire.server.commands;

import io.respire.ds.hash.HashValue;
import io.respire.ds.keyspace.Database;
import io.respire.ds.keyspace.Dict;
import io.respire.ds.keyspace.ValueTypes;
import io.respire.ds.list.QuickList;
import io.respire.ds.set.SetValue;
import io.respire.ds.util.Glob;
import io.respire.ds.zset.ZSetValue;
import io.respire.protocol.DoubleFormat;
import io.respire.protocol.Reply;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.Errors;
import io.respire.server.ServerContext;
import io.respire.server.command.Args;
import io.respire.server.command.CommandTable;
import io.respire.server.command.Help;
import io.respire.server.config.MemoryUnits;
import io.respire.server.keyspace.DatasetDigest;
import io.respire.server.keyspace.KeyAccess;
import io.respire.server.keyspace.Keys;
import io.respire.server.keyspace.StringValues;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * DEBUG subcommands (Redis's debug.c debugCommand), behind enable-debug-command. DEBUG is one
 * command in Redis's table, not a container, so the subcommand is dispatched here, and an unknown
 * one (or a known one with the wrong arguments) gets Redis's subcommand syntax error.
 *
 * <p>Implemented: the introspection and test helpers the test suites use. Not implemented (they
 * reply as unknown): persistence (LOADAOF), crashes other than SEGFAULT (PANIC, ASSERT, OOM,
 * RESTART), and reports on Redis's C structures (SDSLEN, STRUCTSIZE, MALLCTL,
 * REPLYBUFFER PEAK-RESET-TIME, CLIENT-EVICTION).
 */
public final class DebugCommands {
    private DebugCommands() {
    }

    static void register(CommandTable table) {
        table.register("debug", DebugCommands::debug);
    }

    static void debug(Client c) {
        String sub = c.argString(1).toLowerCase(Locale.ROOT);
        int argc = c.argc();
        switch (sub) {
            case "help" -> {
                if (argc != 2) {
                    throw syntaxError(c);
                }
                help(c);
            }
            case "log" -> {
                requireArgs(c, argc == 3);
                c.server().log().warning("DEBUG LOG: " + c.argString(2));
                c.reply().ok();
            }
            case "sleep" -> {
                requireArgs(c, argc == 3);
                sleep(c);
            }
            case "aof-flush-sleep" -> {
                requireArgs(c, argc == 3);
                c.server().aof().flushSleepMicros(atoi(c.arg(2)));
                c.reply().ok();
            }
            case "set-active-expire" -> {
                requireArgs(c, argc == 3);
                c.server().activeExpireEnabled(atoi(c.arg(2)) != 0);
                c.reply().ok();
            }
            case "set-disable-deny-scripts" -> {
                requireArgs(c, argc == 3);
                c.server().scripting().denyScriptDisabled(atoi(c.arg(2)) != 0);
                c.reply().ok();
            }
            case "config-rewrite-force-all" -> {
                requireArgs(c, argc == 2);
                ConfigCommands.rewriteForceAll(c);
            }
            case "pause-cron" -> {
                requireArgs(c, argc == 3);
                c.server().cronPaused(atoi(c.arg(2)) != 0);
                c.reply().ok();
            }
            case "object" -> {
                requireArgs(c, argc == 3);
                object(c);
            }
            case "listpack", "quicklist" -> {
                requireArgs(c, argc == 3 || (sub.equals("quicklist") && argc == 4));
                encodingReport(c, sub);
            }
            case "populate" -> {
                requireArgs(c, argc >= 3 && argc <= 5);
                populate(c);
            }
            case "digest" -> {
                requireArgs(c, argc == 2);
                c.reply().simple(DatasetDigest.hex(DatasetDigest.dataset(c.server())));
            }
            case "digest-value" -> digestValue(c);
            case "protocol" -> {
                requireArgs(c, argc == 3);
                protocol(c);
            }
            case "error" -> {
                requireArgs(c, argc == 3);
                // Written as it is, like Redis's addReplySds: not counted as an error reply.
                c.reply().errorNotCounted(new String(c.arg(2), StandardCharsets.UTF_8));
            }
            case "replicate" -> {
                requireArgs(c, argc >= 3);
                // Fed to the replicas without being run (Redis's replicationFeedSlaves), for divergence tests.
                c.server().replication().feedUnexecuted(java.util.Arrays.copyOfRange(c.argv(), 2, argc));
                c.reply().ok();
            }
            case "change-repl-id" -> {
                requireArgs(c, argc == 2);
                c.server().changeReplicationId();
                c.reply().ok();
            }
            case "stringmatch-test" -> {
                requireArgs(c, argc == 2);
                stringMatchFuzz(10_000_000); // as many as Redis: it takes seconds, as it does there
                c.reply().simple("Apparently Redis did not crash: test passed");
            }
            case "reload" -> reload(c);
            case "segfault" -> {
                requireArgs(c, argc == 2);
                io.respire.server.CrashReport.crash(c.server().log(), c.server().config(), 11); // Redis writes to address -1: a real crash
            }
            case "loadaof" -> {
                c.protect(); // see reload
                try {
                    if (!c.server().aof().debugLoad()) {
                        throw new CommandError("ERR Error loading the AOF, check server logs.");
                    }
                } finally {
                    c.unprotect();
                }
                c.reply().ok();
            }
            case "set-skip-checksum-validation" -> {
                requireArgs(c, argc == 3);
                c.server().snapshots().loader().skipChecksumValidation(Args.longArg(c, 2) != 0);
                c.reply().ok();
            }
            case "quicklist-packed-threshold" -> {
                requireArgs(c, argc == 3);
                quicklistPackedThreshold(c);
            }
            case "htstats" -> {
                requireArgs(c, argc == 3);
                htstats(c);
            }
            case "htstats-key" -> {
                requireArgs(c, argc == 3);
                htstatsKey(c);
            }
            case "replybuffer" -> {
                // Only RESIZING, which turns off Redis's cron job that grows and shrinks idle
                // clients' reply buffers, so that tests see rbs and tot-mem stay put. Respire has no
                // such job: a reply buffer lives for one batch of requests and is freed once they
                // are sent, so either value describes what it does; PEAK-RESET-TIME tunes that job
                // and is refused.
                requireArgs(c, argc == 4 && c.argString(2).equalsIgnoreCase("resizing"));
                c.reply().ok();
            }
            default -> throw syntaxError(c);
        }
    }

    /**
     * DEBUG HTSTATS dbid: the key table's statistics as Redis words them. Keys with a time to live
     * are not in a second hash table here (Redis's expires dict) but in an array, which is said.
     */
    private static void htstats(Client c) {
        long id = Args.longArg(c, 2);
        if (id < 0 || id >= c.server().databaseCount()) {
            throw new CommandError("ERR Out of range database");
        }
        Database db = c.server().database((int) id);
        int expiring = db.expiresSize();
        String expires = expiring == 0
                ? "Hash table 0 stats (main hash table):\nNo stats available for empty dictionaries\n"
                : "No hash table: the " + expiring + " keys with a time to live are indexed in an array\n";
        c.reply().verbatim("txt", "[Dictionary HT]\n" + db.keyTableStats() + "[Expires HT]\n" + expires);
    }

    /**
     * DEBUG HTSTATS-KEY key: the statistics of the hash table of a set, sorted set or hash in the
     * hashtable (skiplist) encoding, as Redis's dictGetStats words them.
     */
    private static void htstatsKey(Client c) {
        Dict.Entry e = peekEntry(c.db(), c.arg(2));
        if (e == null) {
            throw new CommandError(Errors.NO_SUCH_KEY);
        }
        Object value = e.value();
        String stats = null;
        if (value instanceof SetValue set) {
            stats = set.tableStats();
        } else if (value instanceof ZSetValue zset) {
            stats = zset.tableStats();
        } else if (value instanceof HashValue hash) {
            stats = hash.tableStats();
        }
        if (stats == null) {
            throw new CommandError("ERR The value stored at the specified key is not represented using an hash table");
        }
        c.reply().verbatim("txt", stats);
    }

    /**
     * DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: saves (unless NOSAVE), then loads the file back,
     * emptying the dataset first unless NOFLUSH (the file is checked whole before anything is
     * emptied, so a bad file leaves the data as it was); with NOFLUSH, a key or library already
     * there fails the load unless MERGE.
     */
    private static void reload(Client c) {
        boolean flush = true;
        boolean save = true;
        boolean merge = false;
        for (int i = 2; i < c.argc(); i++) {
            if (c.argIs(i, "MERGE")) {
                merge = true;
            } else if (c.argIs(i, "NOFLUSH")) {
                flush = false;
            } else if (c.argIs(i, "NOSAVE")) {
                save = false;
            } else {
                throw new CommandError("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
            }
        }
        io.respire.server.persistence.Snapshots snapshots = c.server().snapshots();
        if (save && !snapshots.save()) {
            throw new CommandError("ERR");
        }
        // As Redis's protectClient: the load serves the other clients, but what this one sends
        // meanwhile waits for this reply, and it is not freed in the middle of its own command.
        c.protect();
        try {
            snapshots.loader().load(c.server().config().dir.resolve(c.server().config().dbfilename.value()), flush, merge);
        } catch (java.io.IOException | io.respire.persistence.RdbFormatException e) {
            throw new CommandError("ERR Error trying to load the RDB dump, check server logs.");
        } finally {
            c.unprotect();
        }
        c.server().log().warning("DB reloaded by DEBUG RELOAD");
        c.reply().ok();
    }

    private static void requireArgs(Client c, boolean ok) {
        if (!ok) {
            throw syntaxError(c);
        }
    }

    private static CommandError syntaxError(Client c) {
        return new CommandError(ClientCommands.subcommandSyntaxError(c));
    }

    private static void help(Client c) {
        Help.reply(c,
                "CHANGE-REPL-ID",
                "    Change the replication IDs of the instance.",
                "    Dangerous: should be used only for testing the replication subsystem.",
                "CONFIG-REWRITE-FORCE-ALL",
                "    Like CONFIG REWRITE but writes all configuration options, including",
                "    keywords not listed in original configuration file or default values.",
                "DIGEST",
                "    Output a hex signature representing the current DB content.",
                "DIGEST-VALUE <key> [<key> ...]",
                "    Output a hex signature of the values of all the specified keys.",
                "ERROR <string>",
                "    Return a Redis protocol error with <string> as message. Useful for clients",
                "    unit tests to simulate Redis errors.",
                "LOG <message>",
                "    Write <message> to the server log.",
                "HTSTATS <dbid>",
                "    Return hash table statistics of the specified Redis database.",
                "HTSTATS-KEY <key>",
                "    Like HTSTATS but for the hash table stored at <key>'s value.",
                "LOADAOF",
                "    Flush the AOF buffers on disk and reload the AOF in memory.",
                "REPLICATE <string>",
                "    Replicates the provided string to replicas, allowing data divergence.",
                "OBJECT <key>",
                "    Show low level info about `key` and associated value.",
                "POPULATE <count> [<prefix>] [<size>]",
                "    Create <count> string keys named key:<num>. If <prefix> is specified then",
                "    it is used instead of the 'key' prefix. These are not propagated to",
                "    replicas. Cluster slots are not respected so keys not belonging to the",
                "    current node can be created in cluster mode.",
                "PROTOCOL <type>",
                "    Reply with a test value of the specified type. <type> can be: string,",
                "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
                "    true, false.",
                "SET-ACTIVE-EXPIRE <0|1>",
                "    Setting it to 0 disables expiring keys in background when they are not",
                "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
                "    default.",
                "QUICKLIST-PACKED-THRESHOLD <size>",
                "    Sets the threshold for elements to be inserted as plain vs packed nodes",
                "    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
                "SLEEP <seconds>",
                "    Stop the server for <seconds>. Decimals allowed.",
                "STRINGMATCH-TEST",
                "    Run a fuzz tester against the stringmatchlen() function.",
                "LISTPACK <key>",
                "    Show low level info about the listpack encoding of <key>.",
                "QUICKLIST <key> [<0|1>]",
                "    Show low level info about the quicklist encoding of <key>.",
                "    The optional argument (0 by default) sets the level of detail",
                "PAUSE-CRON <0|1>",
                "    Stop periodic cron job processing.",
                "REPLYBUFFER RESIZING <0|1>",
                "    Enable or disable the reply buffer resize cron job");
    }

    /** DEBUG SLEEP seconds: stops the whole server, as in Redis (the executor thread sleeps). */
    private static void sleep(Client c) {
        double seconds;
        try {
            seconds = Double.parseDouble(c.argString(2).trim());
        } catch (NumberFormatException e) {
            seconds = 0; // strtod: no number is 0
        }
        long micros = (long) (seconds * 1_000_000);
        if (micros > 0) {
            try {
                Thread.sleep(micros / 1000, (int) (micros % 1000) * 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        c.reply().ok();
    }

    /**
     * DEBUG OBJECT key: Redis's line of low level facts (and a quicklist's node figures). The
     * address is the value's identity hash; the serialized length is the RDB encoding's size for
     * strings (without compression), and is not computed for other types.
     */
    private static void object(Client c) {
        Dict.Entry e = peekEntry(c.db(), c.arg(2));
        if (e == null) {
            throw new CommandError(Errors.NO_SUCH_KEY);
        }
        Object value = e.value();
        ServerContext server = c.server();
        long refcount = ValueTypes.refcount(value, KeyAccess.sharedIntegers(server.config()));
        c.reply().simple("Value at:0x" + Integer.toHexString(System.identityHashCode(value))
                + " refcount:" + refcount
                + " encoding:" + ValueTypes.encoding(value)
                + " serializedlength:" + serializedLength(c, value)
                + " lru:" + e.lru()
                + " lru_seconds_idle:" + KeyAccess.idleTimeMs(e.lru(), server.nowMs()) / 1000
                + (value instanceof QuickList list ? quicklistFacts(list) : ""));
    }

    /** The quicklist part of DEBUG OBJECT, Redis's figures: nodes, elements per node, fill, compression, sizes. */
    private static String quicklistFacts(QuickList list) {
        int nodes = list.nodeCount();
        return " ql_nodes:" + nodes
                + " ql_avg_node:" + DoubleFormat.fixed((double) list.size() / nodes, 2)
                + " ql_listpack_max:" + list.fill()
                + " ql_compressed:" + (list.compressDepth() != 0 ? 1 : 0)
                + " ql_uncompressed_size:" + list.uncompressedSize();
    }

    /** The entry of a key even if logically expired, without side effects (Redis's dictFind). */
    private static Dict.Entry peekEntry(Database db, byte[] key) {
        return db.peekEntry(key);
    }

    /** Redis's rdbSavedObjectLen: the bytes of the value in an RDB file (compressed per rdbcompression). */
    private static long serializedLength(Client c, Object value) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        io.respire.persistence.RdbValueWriter.write(out, value, c.server().config().rdbcompression.value());
        return out.size();
    }

    /**
     * DEBUG LISTPACK / QUICKLIST key [full]: Redis prints the structure on its standard output; a
     * list's is printed as Redis's quicklistRepr does, other values as a summary.
     */
    private static void encodingReport(Client c, String encoding) {
        Object value = Keys.lookupReadNoTouch(c, c.arg(2));
        if (value == null) {
            throw new CommandError(Errors.NO_SUCH_KEY);
        }
        if (!ValueTypes.encoding(value).equals(encoding)) {
            throw new CommandError("ERR Not a " + encoding + " encoded object.");
        }
        if (value instanceof QuickList list) {
            System.out.print(list.repr(c.argc() == 4 && atoi(c.arg(3)) != 0));
        } else {
            System.out.println("DEBUG " + encoding.toUpperCase(Locale.ROOT) + " " + c.argString(2) + ": "
                    + ValueTypes.typeName(value) + " value " + value);
        }
        System.out.flush();
        c.reply().simple(encoding.equals("listpack") ? "Listpack structure printed on stdout"
                : "Quicklist structure printed on stdout");
    }

    /** DEBUG POPULATE count [prefix] [size]: string keys prefix:N holding value:N (padded to size). */
    private static void populate(Client c) {
        long count = positiveArg(c, 2);
        long size = c.argc() == 5 ? positiveArg(c, 4) : 0;
        String prefix = c.argc() >= 4 ? c.argString(3) : "key";
        Database db = c.db();
        for (long j = 0; j < count; j++) {
            byte[] key = (prefix + ":" + j).getBytes(StandardCharsets.ISO_8859_1);
            if (Keys.lookupWrite(c, key) != null) {
                continue;
            }
            byte[] text = ("value:" + j).getBytes(StandardCharsets.US_ASCII);
            byte[] value = text;
            if (size != 0) {
                value = new byte[Math.toIntExact(size)];
                System.arraycopy(text, 0, value, 0, (int) Math.min(size, text.length));
            }
            db.put(key, value);
            c.server().keyModified(db, key, null, 0); // signalled only: Redis counts no change, so propagates none
        }
        c.reply().ok();
    }

    private static long positiveArg(Client c, int i) {
        long v = Args.longArg(c, i, "ERR value is out of range, must be positive");
        if (v < 0) {
            throw new CommandError("ERR value is out of range, must be positive");
        }
        return v;
    }

    /** DEBUG DIGEST-VALUE key ...: one digest per key, zeros for a missing one; expired keys count. */
    private static void digestValue(Client c) {
        String[] digests = new String[c.argc() - 2];
        for (int i = 2; i < c.argc(); i++) {
            byte[] digest = new byte[20];
            Dict.Entry e = peekEntry(c.db(), c.arg(i));
            if (e != null) {
                DatasetDigest.value(c.db(), c.arg(i), e.value(), digest);
            }
            digests[i - 2] = DatasetDigest.hex(digest);
        }
        c.reply().array(digests.length);
        for (String digest : digests) {
            c.reply().simple(digest);
        }
    }

    /** DEBUG PROTOCOL type: one test value of each reply type, for client library tests. */
    private static void protocol(Client c) {
        Reply r = c.reply();
        switch (c.argString(2).toLowerCase(Locale.ROOT)) {
            case "string" -> r.bulk("Hello World");
            case "integer" -> r.integer(12345);
            case "double" -> r.doubleValue(3.141);
            case "bignum" -> r.bigNumber("1234567999999999999999999999999999999");
            case "null" -> r.nullBulk();
            case "array" -> {
                r.array(3);
                for (int j = 0; j < 3; j++) {
                    r.integer(j);
                }
            }
            case "set" -> {
                r.set(3);
                for (int j = 0; j < 3; j++) {
                    r.integer(j);
                }
            }
            case "map" -> {
                r.map(3);
                for (int j = 0; j < 3; j++) {
                    r.integer(j);
                    r.bool(j == 1);
                }
            }
            case "attrib" -> {
                if (r.protocol() >= 3) {
                    // An attribute has no RESP2 form; Redis itself writes it for RESP3 only.
                    r.attribute(1);
                    r.bulk("key-popularity");
                    r.array(2);
                    r.bulk("key:123");
                    r.integer(90);
                }
                r.bulk("Some real reply following the attribute");
            }
            case "push" -> {
                if (r.protocol() < 3) {
                    throw new CommandError("ERR RESP2 is not supported by this command");
                }
                r.push(2);
                r.bulk("server-cpu-usage");
                r.integer(42);
                r.bulk("Some real reply following the push reply");
            }
            case "true" -> r.bool(true);
            case "false" -> r.bool(false);
            case "verbatim" -> r.verbatim("txt", "This is a verbatim\nstring");
            default -> throw new CommandError("ERR Wrong protocol type name. Please use one of the following: "
                    + "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
        }
    }

    /** DEBUG QUICKLIST-PACKED-THRESHOLD size: the size from which list elements get plain nodes, for every list. */
    private static void quicklistPackedThreshold(Client c) {
        long size;
        try {
            size = MemoryUnits.parse(c.argString(2));
        } catch (NumberFormatException e) {
            size = -1;
        }
        if (!c.server().quicklistPackedThreshold().set(size)) {
            throw new CommandError("ERR argument must be a memory value bigger than 1 and smaller than 4gb");
        }
        c.reply().ok();
    }

    /** Redis's stringmatchlen_fuzz_test: random patterns against random strings, to find crashes. */
    static void stringMatchFuzz(int cycles) {
        SplittableRandom random = new SplittableRandom();
        byte[] str = new byte[32];
        byte[] pat = new byte[32];
        for (int cycle = 0; cycle < cycles; cycle++) {
            byte[] s = java.util.Arrays.copyOf(str, random.nextInt(32));
            byte[] p = java.util.Arrays.copyOf(pat, random.nextInt(32));
            for (int j = 0; j < s.length; j++) {
                s[j] = (byte) random.nextInt(128);
            }
            for (int j = 0; j < p.length; j++) {
                p[j] = (byte) random.nextInt(128);
            }
            Glob.matches(p, s, false);
        }
    }

    /** C's atoi: leading whitespace, an optional sign and digits; anything else ends it (0 if none). */
    static long atoi(byte[] text) {
        int i = 0;
        while (i < text.length && (text[i] == ' ' || (text[i] >= '\t' && text[i] <= '\r'))) {
            i++;
        }
        boolean negative = false;
        if (i < text.length && (text[i] == '-' || text[i] == '+')) {
            negative = text[i] == '-';
            i++;
        }
        long v = 0;
        while (i < text.length && text[i] >= '0' && text[i] <= '9') {
            v = v * 10 + (text[i++] - '0');
        }
        return negative ? -v : v;
    }
}
