package io.respire.server;

/** Redis's shared error replies, word for word (server.c createSharedObjects and friends). */
public final class Errors {
    private Errors() {
    }

    /** Redis's shared.bgsaveerr: writes refused while background saves fail (stop-writes-on-bgsave-error). */
    public static final String MISCONF_BGSAVE = "MISCONF Redis is configured to save RDB snapshots, but it's "
            + "currently unable to persist to disk. Commands that may modify the data set are disabled, because this "
            + "instance is configured to report errors during writes if RDB snapshotting fails "
            + "(stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.";
    public static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    public static final String SYNTAX = "ERR syntax error";
    public static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    public static final String NOT_FLOAT = "ERR value is not a valid float";
    public static final String NO_SUCH_KEY = "ERR no such key";
    public static final String OUT_OF_RANGE = "ERR index out of range";
    public static final String DB_INDEX = "ERR DB index is out of range";
    public static final String NOAUTH = "NOAUTH Authentication required.";
    public static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";
    public static final String OVERFLOW = "ERR increment or decrement would overflow";
    public static final String INVALID_EXPIRE = "ERR invalid expire time in '%s' command";
    public static final String BIT_OFFSET = "ERR bit offset is not an integer or out of range";
    public static final String BIT_VALUE = "ERR bit is not an integer or out of range";
    public static final String STRING_TOO_LONG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
    public static final String SAME_OBJECT = "ERR source and destination objects are the same";
    public static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";

    /** Redis's shared.masterdownerr: a replica whose link is down, with replica-serve-stale-data no. */
    public static final String MASTERDOWN = "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";

    /** Redis's shared.roslaveerr: a write refused by a read-only replica. */
    public static final String READONLY_REPLICA = "READONLY You can't write against a read only replica.";

    /** Redis's shared.noreplicaserr: min-replicas-to-write not met. */
    public static final String NOREPLICAS = "NOREPLICAS Not enough good replicas to write.";

    public static String wrongArity(String fullName) {
        return "ERR wrong number of arguments for '" + fullName + "' command";
    }

    public static String unknownSubcommand(String subcommand, String container) {
        return "ERR unknown subcommand '" + truncate(subcommand, 128) + "'. Try "
                + container.toUpperCase(java.util.Locale.ROOT) + " HELP.";
    }

    static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
