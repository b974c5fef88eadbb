package io.respire.persistence;

import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * Reads an RDB file (Redis 7.0's rdbLoadRioWithLoadingCtx): formats 1 to 10, every opcode Redis
 * 7.0 reads, and the checksum. What it reads goes to a {@link Sink}; the loader knows nothing of
 * databases or the server. The whole file is checked as it is read, so the caller should load
 * into fresh databases and keep them only if {@link #load} returns: a bad file throws an
 * {@link RdbFormatException} whose message names the offset and what was being read.
 */
public final class RdbLoader {
    /** Where the loaded contents go. */
    public interface Sink {
        /** An AUX field. */
        default void aux(String key, String value) {
        }

        /** A function library's code; throws to fail the load (a library that does not compile). */
        void function(byte[] code);

        /** SELECTDB; throws if the database does not exist. */
        void selectDb(long id);

        /** RESIZEDB, a size hint (no larger than the rest of the file could hold). */
        default void resizeDb(long size, long expires) {
        }

        /**
         * A key and its value, with its expiry (-1 for none), LRU idle seconds (-1 if absent) and
         * LFU counter (-1 if absent). The key is new to this load unless the file repeats it.
         */
        void key(byte[] key, Object value, long expireAtMs, long idleSeconds, int freq);

        /** A key whose value had no elements, skipped as Redis skips it. */
        default void emptyKey(byte[] key) {
        }

        /** After each key: how many bytes of the file have been read (to report progress, serve clients). */
        default void progress(long bytesRead) {
        }

        /** A listpack or intset blob of a value is about to be validated in depth (see {@link RdbValueReader#restore}). */
        default void blobValidated() {
        }
    }

    /**
     * What a load found: the file's format version, counts of keys, and where the RDB ended (an
     * AOF with an RDB preamble goes on with commands from there).
     */
    public record Result(int version, long keysLoaded, long emptyKeysSkipped, long length) {
    }

    /** The read buffer of a channel's load. */
    private static final int BUFFER_SIZE = 1 << 18;

    private RdbLoader() {
    }

    /**
     * Loads {@code data} (a whole file) into {@code sink}.
     *
     * @param verifyChecksum whether to check the CRC (rdbchecksum, unless DEBUG turned it off)
     */
    public static Result load(byte[] data, EncodingLimits limits, boolean verifyChecksum, Sink sink) {
        return load(data, data.length, limits, verifyChecksum, sink);
    }

    /** As {@link #load(byte[], EncodingLimits, boolean, Sink)}, of the first {@code length} bytes of {@code data}. */
    public static Result load(byte[] data, int length, EncodingLimits limits, boolean verifyChecksum, Sink sink) {
        return load(new RdbStrings.Reader(data, 0, length), limits, verifyChecksum, sink);
    }

    /**
     * As {@link #load(byte[], EncodingLimits, boolean, Sink)}, of the {@code length} bytes of
     * {@code source} from its position on (or of all it gives until its end, when {@code length}
     * is negative: a primary's diskless payload), read through a buffer: a file of any size loads
     * in memory for its contents only. The channel's position after the load is not where the RDB
     * ended (the buffer reads ahead): that is {@link Result#length}.
     *
     * @throws java.io.UncheckedIOException if the channel cannot be read
     */
    public static Result load(ReadableByteChannel source, long length, EncodingLimits limits, boolean verifyChecksum,
            Sink sink) {
        return load(source, length, BUFFER_SIZE, limits, verifyChecksum, sink);
    }

    /** As {@link #load(ReadableByteChannel, long, EncodingLimits, boolean, Sink)}, through a buffer of {@code bufferSize} bytes. */
    static Result load(ReadableByteChannel source, long length, int bufferSize, EncodingLimits limits,
            boolean verifyChecksum, Sink sink) {
        return load(new RdbStrings.Reader(source, length, bufferSize, verifyChecksum), limits, verifyChecksum, sink);
    }

    private static Result load(RdbStrings.Reader reader, EncodingLimits limits, boolean verifyChecksum, Sink sink) {
        RdbInput in = new RdbInput(reader, sink::blobValidated);
        try {
            return loadAll(in, limits, verifyChecksum, sink);
        } catch (RdbFormatException e) {
            throw new RdbFormatException("Internal error in RDB reading offset " + in.position() + " -> "
                    + e.getMessage());
        }
    }

    private static Result loadAll(RdbInput in, EncodingLimits limits, boolean verifyChecksum, Sink sink) {
        int version = readHeader(in.reader().readRaw(9));
        long expireAt = -1;
        long idle = -1;
        int freq = -1;
        long loaded = 0;
        long empty = 0;
        while (true) {
            int type = in.type("the next opcode");
            switch (type) {
                case RdbTypes.OPCODE_EXPIRETIME -> expireAt = readInt32(in) * 1000L;
                case RdbTypes.OPCODE_EXPIRETIME_MS -> expireAt = in.millis("an expire time");
                case RdbTypes.OPCODE_FREQ -> freq = in.raw(1, "an LFU frequency")[0] & 0xFF;
                case RdbTypes.OPCODE_IDLE -> idle = in.length("an LRU idle time");
                case RdbTypes.OPCODE_SELECTDB -> sink.selectDb(in.length("a database number"));
                // a key is at least its type, its length and a one-byte value
                case RdbTypes.OPCODE_RESIZEDB -> sink.resizeDb(in.hint("a resize hint", 3), in.hint("a resize hint", 3));
                case RdbTypes.OPCODE_AUX -> sink.aux(text(in.string("an aux field")), text(in.string("an aux field")));
                case RdbTypes.OPCODE_MODULE_AUX -> throw new RdbFormatException(
                        "The RDB file contains AUX module data I can't load: Respire has no modules");
                case RdbFunctions.OPCODE_FUNCTION, RdbFunctions.OPCODE_FUNCTION2 -> sink.function(readLibrary(in, type));
                case RdbTypes.OPCODE_EOF -> {
                    verifyChecksum(in, version, verifyChecksum);
                    return new Result(version, loaded, empty, in.position());
                }
                default -> {
                    if (!RdbTypes.isObjectType(type)) {
                        throw new RdbFormatException("Unknown RDB type or opcode " + type);
                    }
                    byte[] key = in.string("a key");
                    try {
                        Object value = RdbValueReader.readGuarded(in, type, limits);
                        sink.key(key, value, expireAt, idle, freq);
                        loaded++;
                    } catch (RdbFormatException.EmptyKey e) {
                        sink.emptyKey(key);
                        empty++;
                    }
                    expireAt = -1;
                    idle = -1;
                    freq = -1;
                    sink.progress(in.position());
                }
            }
        }
    }

    /** The format version of "REDISnnnn" ({@code header}, null if the data is shorter), checked to be one this loader reads. */
    private static int readHeader(byte[] header) {
        if (header == null || !new String(header, 0, 5, StandardCharsets.US_ASCII).equals("REDIS")) {
            throw new RdbFormatException("Wrong signature trying to load DB from file");
        }
        String digits = new String(header, 5, 4, StandardCharsets.US_ASCII);
        int version;
        try {
            version = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            version = -1;
        }
        if (version < 1 || version > DumpPayload.RDB_VERSION) {
            throw new RdbFormatException("Can't handle RDB format version " + digits);
        }
        return version;
    }

    private static long readInt32(RdbInput in) {
        byte[] b = in.raw(4, "an expire time");
        return (b[0] & 0xFFL) | (b[1] & 0xFFL) << 8 | (b[2] & 0xFFL) << 16 | (long) b[3] << 24;
    }

    private static byte[] readLibrary(RdbInput in, int type) {
        try {
            return RdbFunctions.readLibrary(in.reader(), type);
        } catch (RdbFunctions.FormatException e) {
            throw new RdbFormatException(e.getMessage());
        }
    }

    /** The CRC of every byte before it, from RDB format 5 on; a stored 0 means "saved without checksum". */
    private static void verifyChecksum(RdbInput in, int version, boolean verify) {
        if (version < 5) {
            return;
        }
        long computed = verify ? in.reader().checksum() : 0;
        long stored = Crc64.readLittleEndian(in.raw(8, "the checksum"), 0);
        if (verify && stored != 0 && stored != computed) {
            throw new RdbFormatException("RDB CRC error");
        }
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
