package io.respire.persistence;

import io.respire.ds.hash.HashValue;
import io.respire.ds.list.QuickList;
import io.respire.ds.set.SetValue;
import io.respire.ds.stream.Stream;
import io.respire.ds.string.MutableString;
import io.respire.ds.zset.ZSetValue;

import java.io.ByteArrayOutputStream;

/**
 * Values in RDB format 10, as Redis 7.0's rdbSaveObjectType and rdbSaveObject write them: every
 * value in the RDB type of its current encoding (listpacks and intsets as their blobs, tables
 * element by element), so that a file written here has the bytes Redis would write for the same
 * values, up to the order of hash tables.
 */
public final class RdbValueWriter {
    private RdbValueWriter() {
    }

    /** The RDB type byte of a stored value (rdbSaveObjectType). */
    public static int type(Object value) {
        if (value instanceof byte[] || value instanceof MutableString) {
            return RdbTypes.STRING;
        } else if (value instanceof QuickList) {
            return RdbTypes.LIST_QUICKLIST_2;
        } else if (value instanceof SetValue s) {
            return s.isIntset() ? RdbTypes.SET_INTSET : RdbTypes.SET;
        } else if (value instanceof ZSetValue z) {
            return z.isListpack() ? RdbTypes.ZSET_LISTPACK : RdbTypes.ZSET_2;
        } else if (value instanceof HashValue h) {
            return h.isListpack() ? RdbTypes.HASH_LISTPACK : RdbTypes.HASH;
        } else if (value instanceof Stream) {
            return RdbTypes.STREAM_LISTPACKS_2;
        }
        throw new IllegalArgumentException("no RDB type for " + value.getClass().getName());
    }

    /** Writes the type byte and then the value. */
    public static void writeTyped(ByteArrayOutputStream out, Object value, boolean compress) {
        out.write(type(value));
        write(out, value, compress);
    }

    /** DUMP's payload (createDumpPayload): type, value and the footer of RDB version and CRC-64. */
    public static byte[] dump(Object value, boolean compress) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeTyped(out, value, compress);
        return DumpPayload.seal(out.toByteArray(), out.size());
    }

    /** rdbSaveObject: the value without its type byte. */
    public static void write(ByteArrayOutputStream out, Object value, boolean compress) {
        if (value instanceof byte[] b) {
            RdbStrings.writeString(out, b, compress);
        } else if (value instanceof MutableString m) {
            RdbStrings.writeString(out, m.toBytes(), compress);
        } else if (value instanceof QuickList l) {
            writeList(out, l, compress);
        } else if (value instanceof SetValue s) {
            writeSet(out, s, compress);
        } else if (value instanceof ZSetValue z) {
            writeZset(out, z, compress);
        } else if (value instanceof HashValue h) {
            writeHash(out, h, compress);
        } else if (value instanceof Stream s) {
            RdbStreams.write(out, s, compress);
        } else {
            throw new IllegalArgumentException("no RDB encoding for " + value.getClass().getName());
        }
    }

    /** Quicklist 2: per node its container and its listpack or element, compressed nodes as they are. */
    private static void writeList(ByteArrayOutputStream out, QuickList list, boolean compress) {
        RdbStrings.writeLength(out, list.nodeCount());
        list.forEachNode((plain, compressed, data, rawSize) -> {
            RdbStrings.writeLength(out, plain ? RdbTypes.CONTAINER_PLAIN : RdbTypes.CONTAINER_PACKED);
            if (compressed) {
                RdbStrings.writeLzfBlob(out, data, rawSize);
            } else {
                RdbStrings.writeString(out, data, compress);
            }
        });
    }

    private static void writeSet(ByteArrayOutputStream out, SetValue set, boolean compress) {
        if (set.isIntset()) {
            RdbStrings.writeString(out, set.intset().toBlob(), compress);
            return;
        }
        RdbStrings.writeLength(out, set.size());
        set.forEach(member -> RdbStrings.writeString(out, member, compress));
    }

    /** A skiplist from the highest score down, as Redis writes it so that loading appends. */
    private static void writeZset(ByteArrayOutputStream out, ZSetValue zset, boolean compress) {
        if (zset.isListpack()) {
            RdbStrings.writeString(out, zset.listpackEncoding().toBytes(), compress);
            return;
        }
        RdbStrings.writeLength(out, zset.size());
        zset.rangeByRank(0, zset.size() - 1, true, (member, score) -> {
            RdbStrings.writeString(out, member, compress);
            RdbStrings.writeBinaryDouble(out, score);
        });
    }

    private static void writeHash(ByteArrayOutputStream out, HashValue hash, boolean compress) {
        if (hash.isListpack()) {
            RdbStrings.writeString(out, hash.listpackEncoding().toBytes(), compress);
            return;
        }
        RdbStrings.writeLength(out, hash.size());
        HashValue.Cursor c = hash.cursor();
        while (c.next()) {
            RdbStrings.writeString(out, c.field(), compress);
            RdbStrings.writeString(out, c.value(), compress);
        }
    }
}
