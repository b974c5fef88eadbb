package io.respire.persistence;

import io.respire.ds.hash.HashValue;
import io.respire.ds.keyspace.ValueTypes;
import io.respire.ds.list.QuickList;
import io.respire.ds.listpack.ValueSink;
import io.respire.ds.set.SetValue;
import io.respire.ds.stream.Consumer;
import io.respire.ds.stream.ConsumerGroup;
import io.respire.ds.stream.Stream;
import io.respire.ds.stream.StreamCursor;
import io.respire.ds.stream.StreamId;
import io.respire.ds.string.MutableString;
import io.respire.ds.zset.ZSetValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded value in the fixtures' JSON shape (shared/README.md: hex strings, sets sorted, scores
 * as numbers or "inf"/"-inf"), so that loaded data is compared with what real Redis saved.
 */
final class ValueDescriptions {
    private static final HexFormat HEX = HexFormat.of();

    private ValueDescriptions() {
    }

    static Map<String, Object> describe(Object value, long expireMs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", ValueTypes.typeName(value));
        m.put("encoding", ValueTypes.encoding(value));
        m.put("expire_ms", expireMs < 0 ? null : (double) expireMs);
        m.put("value", valueOf(value));
        return m;
    }

    static Object valueOf(Object value) {
        if (value instanceof byte[] b) {
            return Map.of("hex", HEX.formatHex(b));
        } else if (value instanceof MutableString s) {
            return Map.of("hex", HEX.formatHex(s.toBytes()));
        } else if (value instanceof QuickList l) {
            List<Object> items = new ArrayList<>();
            for (long i = 0; i < l.size(); i++) {
                items.add(HEX.formatHex(l.get(i)));
            }
            return items;
        } else if (value instanceof SetValue s) {
            List<String> items = new ArrayList<>();
            s.forEach(m -> items.add(HEX.formatHex(m)));
            items.sort(null);
            return items;
        } else if (value instanceof ZSetValue z) {
            List<Object> items = new ArrayList<>();
            z.forEach((member, score) -> items.add(List.of(HEX.formatHex(member), score(score))));
            return items;
        } else if (value instanceof HashValue h) {
            Map<String, Object> fields = new LinkedHashMap<>();
            HashValue.Cursor c = h.cursor();
            while (c.next()) {
                fields.put(HEX.formatHex(c.field()), HEX.formatHex(c.value()));
            }
            return fields;
        }
        return stream((Stream) value);
    }

    static Object score(double score) {
        return Double.isInfinite(score) ? (score > 0 ? "inf" : "-inf") : (Object) score;
    }

    private static Map<String, Object> stream(Stream s) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> entries = new ArrayList<>();
        StreamCursor c = s.cursor(StreamId.MIN, StreamId.MAX, false);
        while (c.next()) {
            Map<String, Object> fields = new LinkedHashMap<>();
            List<String> parts = new ArrayList<>();
            c.entry().forEachFieldAndValue(new ValueSink() {
                @Override
                public void bytes(byte[] array, int offset, int length) {
                    parts.add(HEX.formatHex(array, offset, offset + length));
                }

                @Override
                public void integer(long v) {
                    parts.add(HEX.formatHex(Long.toString(v).getBytes(StandardCharsets.US_ASCII)));
                }
            });
            for (int i = 0; i < parts.size(); i += 2) {
                fields.put(parts.get(i), parts.get(i + 1));
            }
            entries.add(List.of(c.id().toString(), fields));
        }
        m.put("entries", entries);
        m.put("length", (double) s.length());
        m.put("last_generated_id", s.lastId().toString());
        m.put("max_deleted_entry_id", s.maxDeletedId().toString());
        m.put("entries_added", (double) s.entriesAdded());
        List<Object> groups = new ArrayList<>();
        for (Map.Entry<byte[], ConsumerGroup> e : s.groups().entrySet()) {
            ConsumerGroup g = e.getValue();
            Map<String, Object> gm = new LinkedHashMap<>();
            gm.put("name", new String(e.getKey(), StandardCharsets.UTF_8));
            gm.put("last_delivered_id", g.lastId().toString());
            gm.put("entries_read", g.entriesRead() < 0 ? null : (double) g.entriesRead());
            List<Object> consumers = new ArrayList<>();
            for (Consumer con : g.consumers()) {
                consumers.add(new String(con.name(), StandardCharsets.UTF_8));
            }
            gm.put("consumers", consumers);
            List<Object> pending = new ArrayList<>();
            g.pending().forEach((id, nack) -> pending.add(List.of(id.toString(),
                    new String(nack.consumer().name(), StandardCharsets.UTF_8), (double) nack.deliveryCount())));
            gm.put("pending", pending);
            groups.add(gm);
        }
        m.put("groups", groups);
        return m;
    }
}
