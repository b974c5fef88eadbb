package io.respire.server.commands;

import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.command.CommandTable;
import io.respire.server.command.Help;
import io.respire.server.pubsub.PubSub;
import io.respire.server.pubsub.PubSub.Kind;

import java.util.List;

/**
 * Pub/sub commands (Redis's pubsub.c): (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PUBLISH, SPUBLISH and
 * PUBSUB introspection, over the server's {@link PubSub} registry. Which commands a subscribed
 * RESP2 connection may still run is the dispatcher's check.
 */
public final class PubSubCommands {
    private PubSubCommands() {
    }

    static void register(CommandTable table) {
        table.register("subscribe", c -> subscribe(c, Kind.CHANNEL));
        table.register("psubscribe", c -> subscribe(c, Kind.PATTERN));
        table.register("ssubscribe", c -> subscribe(c, Kind.SHARD));
        table.register("unsubscribe", c -> unsubscribe(c, Kind.CHANNEL));
        table.register("punsubscribe", c -> unsubscribe(c, Kind.PATTERN));
        table.register("sunsubscribe", c -> unsubscribe(c, Kind.SHARD));
        table.register("publish", c -> publish(c, Kind.CHANNEL));
        table.register("spublish", c -> publish(c, Kind.SHARD));
        table.register("pubsub|channels", c -> channels(c, Kind.CHANNEL));
        table.register("pubsub|shardchannels", c -> channels(c, Kind.SHARD));
        table.register("pubsub|numsub", c -> numsub(c, Kind.CHANNEL));
        table.register("pubsub|shardnumsub", c -> numsub(c, Kind.SHARD));
        table.register("pubsub|numpat", PubSubCommands::numpat);
        table.register("pubsub|help", PubSubCommands::help);
    }

    /**
     * SUBSCRIBE / PSUBSCRIBE / SSUBSCRIBE name [name ...]: one confirmation per name. A client that
     * expects exactly one reply per command (Redis's CLIENT_DENY_BLOCKING) may not subscribe, except
     * that (P)SUBSCRIBE stays allowed inside MULTI, as in Redis, for compatibility.
     */
    static void subscribe(Client c, Kind kind) {
        if (c.denyBlocking() && (kind == Kind.SHARD || !c.multi().active())) {
            throw new CommandError("ERR " + c.command().fullName().toUpperCase(java.util.Locale.ROOT)
                    + " isn't allowed for a DENY BLOCKING client");
        }
        PubSub pubSub = c.server().pubSub();
        for (int i = 1; i < c.argc(); i++) {
            pubSub.subscribe(c, kind, c.arg(i));
        }
    }

    /** UNSUBSCRIBE / PUNSUBSCRIBE / SUNSUBSCRIBE [name ...]: all of them when none is named. */
    static void unsubscribe(Client c, Kind kind) {
        PubSub pubSub = c.server().pubSub();
        if (c.argc() == 1) {
            pubSub.unsubscribeAll(c, kind, true);
            return;
        }
        for (int i = 1; i < c.argc(); i++) {
            pubSub.unsubscribe(c, kind, c.arg(i), true);
        }
    }

    /** PUBLISH / SPUBLISH channel message: replies how many subscribers received it. */
    static void publish(Client c, Kind kind) {
        c.forceReplication(); // replicas deliver it to their own subscribers (Redis outside cluster mode)
        c.reply().integer(c.server().pubSub().publish(kind, c.arg(1), c.arg(2)));
    }

    /** PUBSUB CHANNELS / SHARDCHANNELS [pattern]. */
    static void channels(Client c, Kind kind) {
        if (c.argc() > 3) {
            throw new CommandError(ClientCommands.subcommandSyntaxError(c));
        }
        List<byte[]> channels = c.server().pubSub().channels(kind, c.argc() == 3 ? c.arg(2) : null);
        c.reply().array(channels.size());
        for (byte[] channel : channels) {
            c.reply().bulk(channel);
        }
    }

    /** PUBSUB NUMSUB / SHARDNUMSUB [channel ...]: each channel and its subscriber count, flat. */
    static void numsub(Client c, Kind kind) {
        PubSub pubSub = c.server().pubSub();
        c.reply().array((c.argc() - 2) * 2);
        for (int i = 2; i < c.argc(); i++) {
            c.reply().bulk(c.arg(i));
            c.reply().integer(pubSub.subscribers(kind, c.arg(i)));
        }
    }

    /** PUBSUB NUMPAT: how many patterns have subscribers. */
    static void numpat(Client c) {
        c.reply().integer(c.server().pubSub().size(Kind.PATTERN));
    }

    static void help(Client c) {
        Help.reply(c,
                "CHANNELS [<pattern>]",
                "    Return the currently active channels matching a <pattern> (default: '*').",
                "NUMPAT",
                "    Return number of subscriptions to patterns.",
                "NUMSUB [<channel> ...]",
                "    Return the number of subscribers for the specified channels, excluding",
                "    pattern subscriptions(default: no channels).",
                "SHARDCHANNELS [<pattern>]",
                "    Return the currently active shard level channels matching a <pattern> (default: '*').",
                "SHARDNUMSUB [<shardchannel> ...]",
                "    Return the number of subscribers for the specified shard level channel(s)");
    }
}
