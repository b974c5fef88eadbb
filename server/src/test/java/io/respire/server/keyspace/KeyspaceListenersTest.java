package io.respire.server.keyspace;

import io.respire.ds.keyspace.Database;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class KeyspaceListenersTest {
    private final List<String> calls = new ArrayList<>();

    private final class Signals implements KeyspaceListener {
        private final String name;

        Signals(String name) {
            this.name = name;
        }

        @Override
        public void keyModified(Database db, byte[] key, KeyEvent event) {
            calls.add(name + ".modified");
        }
    }

    private final class Events implements KeyspaceListener {
        @Override
        public void keyNotified(Database db, byte[] key, KeyEvent event) {
            calls.add("events.notified " + event.name());
        }

        @Override
        public void databaseReplaced(Database db, Database with) {
            calls.add("events.replaced");
        }
    }

    @Test
    void everySignalComesBeforeTheEventAndOnlyOverriddenCallbacksRun() {
        KeyspaceListeners listeners = new KeyspaceListeners();
        listeners.add(new Signals("watch"));
        listeners.add(new Events());
        listeners.add(new Signals("tracking"));
        Database db = new Database(0, 1);
        listeners.keyModified(db, new byte[] {'k'}, KeyEvent.of("set"));
        assertEquals(List.of("watch.modified", "tracking.modified", "events.notified set"), calls);
        calls.clear();
        listeners.keyModified(db, new byte[] {'k'}, null); // a change Redis does not notify
        assertEquals(List.of("watch.modified", "tracking.modified"), calls);
        calls.clear();
        listeners.keyNotified(db, new byte[] {'k'}, KeyEvent.of("expired"));
        listeners.databaseReplaced(db, null);
        assertEquals(List.of("events.notified expired", "events.replaced"), calls);
    }
}
