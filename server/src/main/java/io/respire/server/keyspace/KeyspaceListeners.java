package io.respire.server.keyspace;

import io.respire.ds.keyspace.Database;

import java.util.Arrays;

/**
 * The write gate's listeners, in the order they were added. Each is called only for the callbacks
 * it overrides: a SET then costs the few listeners that care, not two interface calls per listener
 * (every write passes here). All {@code keyModified} calls of a change come before its
 * {@code keyNotified} calls, as Redis signals a key (WATCH, tracking, blocked clients) before it
 * publishes the keyspace event.
 */
public final class KeyspaceListeners {
    private static final KeyspaceListener[] NONE = new KeyspaceListener[0];

    private KeyspaceListener[] modified = NONE;
    private KeyspaceListener[] notified = NONE;
    private KeyspaceListener[] replaced = NONE;

    public void add(KeyspaceListener listener) {
        if (overrides(listener, "keyModified", Database.class, byte[].class, KeyEvent.class)) {
            modified = append(modified, listener);
        }
        if (overrides(listener, "keyNotified", Database.class, byte[].class, KeyEvent.class)) {
            notified = append(notified, listener);
        }
        if (overrides(listener, "databaseReplaced", Database.class, Database.class)) {
            replaced = append(replaced, listener);
        }
    }

    /** Redis's signalModifiedKey, then its notifyKeyspaceEvent when {@code event} is not null. */
    public void keyModified(Database db, byte[] key, KeyEvent event) {
        for (KeyspaceListener listener : modified) {
            listener.keyModified(db, key, event);
        }
        if (event != null) {
            keyNotified(db, key, event);
        }
    }

    /** Redis's notifyKeyspaceEvent alone. */
    public void keyNotified(Database db, byte[] key, KeyEvent event) {
        for (KeyspaceListener listener : notified) {
            listener.keyNotified(db, key, event);
        }
    }

    public void databaseReplaced(Database db, Database with) {
        for (KeyspaceListener listener : replaced) {
            listener.databaseReplaced(db, with);
        }
    }

    private static boolean overrides(KeyspaceListener listener, String method, Class<?>... parameters) {
        try {
            return listener.getClass().getMethod(method, parameters).getDeclaringClass() != KeyspaceListener.class;
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e); // the interface declares it
        }
    }

    private static KeyspaceListener[] append(KeyspaceListener[] listeners, KeyspaceListener listener) {
        KeyspaceListener[] grown = Arrays.copyOf(listeners, listeners.length + 1);
        grown[listeners.length] = listener;
        return grown;
    }
}
