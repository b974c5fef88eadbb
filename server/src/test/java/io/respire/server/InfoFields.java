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
