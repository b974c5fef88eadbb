package io.respire.server;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads INFO through a test client and picks fields out of it, as the Tcl suite's [s field] does. */
public final class InfoFields {
    private InfoFields() {
    }

    /** Every "name:value" line of INFO {@code sections}. */
    public static Map<String, String> of(RespTestClient c, String... sections) throws IOException {
        Object[] args = new Object[sections.length + 1];
        args[0] = "INFO";
        System.arraycopy(sections, 0, args, 1, sections.length);
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : c.call(args).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                fields.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return fields;
    }

    /** One field of INFO (all sections), or null if absent. */
    public static String get(RespTestClient c, String field) throws IOException {
        return of(c, "everything").get(field);
    }

    public static long number(RespTestClient c, String field) throws IOException {
        return Long.parseLong(get(c, field));
    }

    /**
     * Waits until a background job's INFO flag ({@code rdb_bgsave_in_progress}...) is 0, polling a
     * bounded number of times, and asserts that it is.
     */
    public static void awaitZero(RespTestClient c, String field) throws IOException, InterruptedException {
        for (int i = 0; i < 500 && number(c, field) != 0; i++) {
            Thread.sleep(20);
        }
        org.junit.jupiter.api.Assertions.assertEquals(0, number(c, field), field);
    }

    /** Waits until INFO's {@code field} reads {@code value} (10 s at most), and fails otherwise. */
    public static void await(RespTestClient c, String field, String value) throws IOException, InterruptedException {
        for (int i = 0; !value.equals(get(c, field)); i++) {
            if (i == 400) {
                org.junit.jupiter.api.Assertions.fail(field + " never became " + value + ": " + get(c, field));
            }
            Thread.sleep(25);
        }
    }

    /** REPLICAOF the server on {@code primaryPort} (this host), then waits until the link is up. */
    public static void replicate(RespTestClient replica, int primaryPort) throws IOException, InterruptedException {
        replica.call("REPLICAOF", "127.0.0.1", Integer.toString(primaryPort));
        await(replica, "master_link_status", "up");
    }

    /**
     * How far running {@code command} on {@code c} moved the dirty counter (INFO
     * rdb_changes_since_last_save), read on {@code c} before and after.
     */
    public static long changesMadeBy(RespTestClient c, Object... command) throws IOException {
        long before = Long.parseLong(of(c, "persistence").get("rdb_changes_since_last_save"));
        c.call(command);
        return Long.parseLong(of(c, "persistence").get("rdb_changes_since_last_save")) - before;
    }
}
