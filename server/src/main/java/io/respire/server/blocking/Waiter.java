package io.respire.server.blocking;

import io.respire.server.Client;

/**
 * What a client blocked on keys is waiting to do once one of them holds data: the blocked
 * command's pop (BLPOP), move (BLMOVE) or read (XREAD), run against the key that became ready.
 * {@link BlockingKeys} calls it only with a live value of the type the client blocked for, on the
 * executor, with the client's blocked command still in {@link Client#argv()}.
 */
@FunctionalInterface
public interface Waiter {
    /**
     * Serves {@code c} from {@code key}, writing the command's reply to {@code c.reply()}, and
     * returns true; or returns false, writing nothing, if this value cannot serve it yet (a
     * stream without entries newer than the ID asked for) so that the client keeps waiting. A
     * {@link io.respire.server.CommandError} thrown here becomes the client's (error) reply.
     */
    boolean serve(Client c, byte[] key, Object value);

    /**
     * Called instead of {@link #serve} when the key was signalled but is gone or holds another
     * type (deleted, overwritten, flushed, swapped away). Returns true after writing a reply if
     * that ends the wait, as for XREADGROUP, whose group went with the key; false (the default)
     * to keep waiting, as BLPOP and XREAD do.
     */
    default boolean keyGone(Client c) {
        return false;
    }

    /**
     * The reply when the timeout expires or CLIENT UNBLOCK TIMEOUT is used: a null array, as for
     * every key-blocking command of Redis (replyToBlockedClientTimedOut).
     */
    default void timedOut(Client c) {
        c.reply().nullArray();
    }
}
