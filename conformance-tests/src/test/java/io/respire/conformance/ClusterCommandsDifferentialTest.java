package io.respire.conformance;

/**
 * The cluster family (server's ClusterCommands) against a Redis without cluster mode: every
 * CLUSTER subcommand, READONLY, READWRITE and ASKING refuse alike, while arity and unknown
 * subcommands get the dispatcher's usual errors; COMMAND lists the family as Redis does.
 */
class ClusterCommandsDifferentialTest {
    @Differential
    void everyClusterCommandSaysClusterSupportIsDisabled(Dual d) {
        d.check("CLUSTER", "HELP");
        d.check("CLUSTER", "INFO");
        d.check("CLUSTER", "SLOTS");
        d.check("CLUSTER", "SHARDS");
        d.check("CLUSTER", "NODES");
        d.check("CLUSTER", "MYID");
        d.check("CLUSTER", "KEYSLOT", "user:{42}");
        d.check("CLUSTER", "COUNTKEYSINSLOT", "0");
        d.check("CLUSTER", "GETKEYSINSLOT", "0", "10");
        d.check("CLUSTER", "ADDSLOTS", "1");
        d.check("CLUSTER", "MEET", "127.0.0.1", "7000");
        d.check("cluster", "info");
        d.check("READONLY");
        d.check("READWRITE");
        d.check("ASKING");
    }

    @Differential
    void arityAndUnknownSubcommandsComeFirst(Dual d) {
        d.check("CLUSTER");
        d.check("CLUSTER", "NOSUCH");
        d.check("CLUSTER", "KEYSLOT");
        d.check("CLUSTER", "INFO", "extra");
        d.check("READONLY", "extra");
        // in the command dict's order on Redis: compared as sets
        d.checkWith(ReplyComparison.UNORDERED, "COMMAND", "LIST", "FILTERBY", "PATTERN", "cl*help");
        d.checkWith(ReplyComparison.UNORDERED, "COMMAND", "LIST", "FILTERBY", "PATTERN", "read*");
    }
}
