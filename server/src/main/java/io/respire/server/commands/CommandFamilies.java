package io.respire.server.commands;

import io.respire.server.command.CommandTable;

/** Attaches every family's handlers to the command table: the list of what Respire implements. */
public final class CommandFamilies {
    private CommandFamilies() {
    }

    public static void registerAll(CommandTable table) {
        ConnectionCommands.register(table);
        StringCommands.register(table);
        BitmapCommands.register(table);
        HyperLogLogCommands.register(table);
        KeyCommands.register(table);
        ServerCommands.register(table);
        PersistenceCommands.register(table);
        ClientCommands.register(table);
        AclCommands.register(table);
        CommandCommands.register(table);
        DebugCommands.register(table);
        ConfigCommands.register(table);
        HashCommands.register(table);
        ListCommands.register(table);
        SetCommands.register(table);
        SortedSetCommands.register(table);
        GeoCommands.register(table);
        ScriptingCommands.register(table);
        FunctionCommands.register(table);
        SortCommands.register(table);
        TransactionCommands.register(table);
        MemoryCommands.register(table);
        StreamCommands.register(table);
        PubSubCommands.register(table);
        TrackingCommands.register(table);
        SlowlogCommands.register(table);
        ModuleCommands.register(table);
        LatencyCommands.register(table);
        ReplicationCommands.register(table);
        ClusterCommands.register(table);
    }
}
