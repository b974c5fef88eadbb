package io.respire.server.command;

/** Redis's command flags (the {@code command_flags} of the command specifications). */
public enum CommandFlag {
    WRITE, READONLY, DENYOOM, MODULE, ADMIN, PUBSUB, NOSCRIPT, BLOCKING, LOADING, STALE, SKIP_MONITOR,
    SKIP_SLOWLOG, ASKING, FAST, NO_AUTH, MAY_REPLICATE, SENTINEL, ONLY_SENTINEL, NO_MANDATORY_KEYS,
    PROTECTED, MODULE_GETKEYS, MODULE_NO_CLUSTER, NO_ASYNC_LOADING, NO_MULTI, MOVABLE_KEYS, ALLOW_BUSY,
    MODULE_GETCHANNELS, TOUCHES_ARBITRARY_KEYS;

    public final long bit = 1L << ordinal();

    /** The name COMMAND INFO replies with: lower case, as Redis's commandFlagNames. */
    public String replyName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
