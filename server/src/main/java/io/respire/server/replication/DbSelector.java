package io.respire.server.replication;

import java.nio.charset.StandardCharsets;

/**
 * The database a consumer of effects last selected (Redis's server.slaveseldb and
 * server.aof_selected_db): a consumer asks it before each effect and emits the SELECT it returns.
 */
public final class DbSelector {
    private static final byte[] SELECT = "SELECT".getBytes(StandardCharsets.US_ASCII);
    private int selected = -1;

    /** The SELECT to emit before an effect on {@code db}, or null if {@code db} is selected already. */
    public byte[][] selectFor(int db) {
        if (db == selected) {
            return null;
        }
        selected = db;
        return new byte[][] {SELECT, Integer.toString(db).getBytes(StandardCharsets.US_ASCII)};
    }

    /** The database last selected, -1 if none since the last reset. */
    public int selected() {
        return selected;
    }

    /** Forgets the selection, so that the next effect selects its database (a new replica, Redis's slaveseldb = -1). */
    public void reset() {
        selected = -1;
    }
}
