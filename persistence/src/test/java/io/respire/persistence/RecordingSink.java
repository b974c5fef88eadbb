package io.respire.persistence;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a load gives, in the fixtures' JSON shape: database number -> key in hex -> description
 * ({@link ValueDescriptions}), and the function libraries' code. With {@code access}, a key's name
 * also carries its LRU idle time and LFU counter.
 */
final class RecordingSink implements RdbLoader.Sink {
    private static final HexFormat HEX = HexFormat.of();

    final Map<String, Map<String, Object>> dbs = new TreeMap<>();
    final List<byte[]> functions = new ArrayList<>();
    private final boolean access;
    private String db = "0";

    RecordingSink(boolean access) {
        this.access = access;
    }

    @Override
    public void function(byte[] code) {
        functions.add(code);
    }

    @Override
    public void selectDb(long id) {
        db = Long.toString(id);
    }

    @Override
    public void key(byte[] key, Object value, long expireAtMs, long idle, int freq) {
        String name = access ? HEX.formatHex(key) + " " + idle + " " + freq : HEX.formatHex(key);
        dbs.computeIfAbsent(db, d -> new LinkedHashMap<>()).put(name, ValueDescriptions.describe(value, expireAtMs));
    }
}
