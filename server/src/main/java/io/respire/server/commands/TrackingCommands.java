package io.respire.server.commands;

import io.respire.protocol.Reply;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.Errors;
import io.respire.server.command.Args;
import io.respire.server.command.CommandTable;
import io.respire.server.tracking.ClientTracking;
import io.respire.server.tracking.Tracking;

import java.util.ArrayList;
import java.util.List;

/**
 * Client-side caching commands (the tracking part of Redis's networking.c clientCommand): CLIENT
 * TRACKING, CACHING, GETREDIR and TRACKINGINFO, over the server's {@link Tracking}.
 */
public final class TrackingCommands {
    private TrackingCommands() {
    }

    static void register(CommandTable table) {
        table.register("client|tracking", TrackingCommands::tracking);
        table.register("client|caching", TrackingCommands::caching);
        table.register("client|getredir", TrackingCommands::getredir);
        table.register("client|trackinginfo", TrackingCommands::trackinginfo);
    }

    /** CLIENT TRACKING ON|OFF [REDIRECT id] [BCAST] [PREFIX prefix ...] [OPTIN] [OPTOUT] [NOLOOP] */
    static void tracking(Client c) {
        long redirect = 0;
        boolean bcast = false;
        boolean optin = false;
        boolean optout = false;
        boolean noloop = false;
        List<byte[]> prefixes = new ArrayList<>();
        for (int j = 3; j < c.argc(); j++) {
            boolean more = j + 1 < c.argc();
            if (c.argIs(j, "REDIRECT") && more) {
                j++;
                if (redirect != 0) {
                    throw new CommandError("ERR A client can only redirect to a single other client");
                }
                redirect = Args.longArg(c, j);
                if (c.server().client(redirect) == null) {
                    throw new CommandError("ERR The client ID you want redirect to does not exist");
                }
            } else if (c.argIs(j, "BCAST")) {
                bcast = true;
            } else if (c.argIs(j, "OPTIN")) {
                optin = true;
            } else if (c.argIs(j, "OPTOUT")) {
                optout = true;
            } else if (c.argIs(j, "NOLOOP")) {
                noloop = true;
            } else if (c.argIs(j, "PREFIX") && more) {
                prefixes.add(c.arg(++j));
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        Tracking tracking = c.server().tracking();
        if (c.argIs(2, "ON")) {
            checkOptions(c.tracking(), bcast, optin, optout, prefixes);
            tracking.enable(c, redirect, bcast, optin, optout, noloop, prefixes);
        } else if (c.argIs(2, "OFF")) {
            tracking.disable(c);
        } else {
            throw new CommandError(Errors.SYNTAX);
        }
        c.reply().ok();
    }

    /** The checks of CLIENT TRACKING ON, in Redis's order, against the options and the current state. */
    private static void checkOptions(ClientTracking current, boolean bcast, boolean optin, boolean optout,
                                     List<byte[]> prefixes) {
        if (!bcast && !prefixes.isEmpty()) {
            throw new CommandError("ERR PREFIX option requires BCAST mode to be enabled");
        }
        if (current != null && current.bcast() != bcast) {
            throw new CommandError("ERR You can't switch BCAST mode on/off before disabling tracking for this "
                    + "client, and then re-enabling it with a different mode.");
        }
        if (bcast && (optin || optout)) {
            throw new CommandError("ERR OPTIN and OPTOUT are not compatible with BCAST");
        }
        if (optin && optout) {
            throw new CommandError("ERR You can't specify both OPTIN mode and OPTOUT mode");
        }
        if (current != null && ((optin && current.optout()) || (optout && current.optin()))) {
            throw new CommandError("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this "
                    + "client, and then re-enabling it with a different mode.");
        }
        if (bcast) {
            String collision = Tracking.prefixCollision(current, prefixes);
            if (collision != null) {
                throw new CommandError(collision);
            }
        }
    }

    /** CLIENT CACHING YES|NO: whether the next command's keys are tracked, in OPTIN / OPTOUT mode. */
    static void caching(Client c) {
        ClientTracking t = c.tracking();
        if (t == null) {
            throw new CommandError("ERR CLIENT CACHING can be called only when the client is in tracking mode "
                    + "with OPTIN or OPTOUT mode enabled");
        }
        if (c.argIs(2, "YES")) {
            if (!t.optin()) {
                throw new CommandError("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
            }
        } else if (c.argIs(2, "NO")) {
            if (!t.optout()) {
                throw new CommandError("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
            }
        } else {
            throw new CommandError(Errors.SYNTAX);
        }
        c.server().tracking().cachingGiven(c);
        c.reply().ok();
    }

    /** CLIENT GETREDIR: the client invalidations go to, 0 for itself, -1 when tracking is off. */
    static void getredir(Client c) {
        c.reply().integer(c.tracking() == null ? -1 : c.tracking().redirect());
    }

    /** CLIENT TRACKINGINFO: flags, redirect and prefixes. */
    static void trackinginfo(Client c) {
        ClientTracking t = c.tracking();
        List<String> flags = new ArrayList<>();
        flags.add(t == null ? "off" : "on");
        if (t != null) {
            if (t.bcast()) {
                flags.add("bcast");
            }
            if (t.optin()) {
                flags.add("optin");
                if (t.caching()) {
                    flags.add("caching-yes");
                }
            }
            if (t.optout()) {
                flags.add("optout");
                if (t.caching()) {
                    flags.add("caching-no");
                }
            }
            if (t.noloop()) {
                flags.add("noloop");
            }
            if (t.brokenRedirect()) {
                flags.add("broken_redirect");
            }
        }
        Reply r = c.reply();
        r.map(3);
        r.bulk("flags");
        r.set(flags.size());
        for (String f : flags) {
            r.bulk(f);
        }
        r.bulk("redirect");
        r.integer(t == null ? -1 : t.redirect());
        r.bulk("prefixes");
        r.array(t == null ? 0 : t.prefixes().size());
        if (t != null) {
            for (byte[] p : t.prefixes()) {
                r.bulk(p);
            }
        }
    }
}
