package io.respire.server.tracking;

import java.util.Arrays;
import java.util.Collections;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * One client's CLIENT TRACKING state (Redis's CLIENT_TRACKING* flags, client_tracking_redirection
 * and client_tracking_prefixes). Changed only by {@link Tracking}.
 */
public final class ClientTracking {
    boolean bcast;
    boolean optin;
    boolean optout;
    boolean noloop;
    /** CLIENT CACHING yes (OPTIN) or no (OPTOUT) given for the next command. */
    boolean caching;
    /** The redirection's client went away (flag R). */
    boolean brokenRedirect;
    /** The client invalidations go to, 0 for the client itself. */
    long redirect;
    /** BCAST prefixes, in Redis's order (unsigned bytes, as its radix tree). */
    final NavigableSet<byte[]> prefixes = new TreeSet<>(Arrays::compareUnsigned);

    public boolean bcast() {
        return bcast;
    }

    public boolean optin() {
        return optin;
    }

    public boolean optout() {
        return optout;
    }

    public boolean noloop() {
        return noloop;
    }

    public boolean caching() {
        return caching;
    }

    public boolean brokenRedirect() {
        return brokenRedirect;
    }

    public long redirect() {
        return redirect;
    }

    /** How many BCAST prefixes the client has, O(1) (for its memory figure). */
    public int prefixCount() {
        return prefixes.size();
    }

    public NavigableSet<byte[]> prefixes() {
        return Collections.unmodifiableNavigableSet(prefixes);
    }
}
