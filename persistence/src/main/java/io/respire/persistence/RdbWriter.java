package io.respire.persistence;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes an RDB file of format 10 (Redis 7.0's rdbSaveRio) to a stream: the "REDIS0010" header,
 * aux fields, function libraries, then per database SELECTDB and RESIZEDB and its keys (each with
 * its EXPIRETIME_MS, IDLE or FREQ opcodes before it), and the EOF opcode with the CRC-64 of
 * everything before it (zero when checksums are off, as Redis writes with {@code rdbchecksum no}).
 * Keys are serialized into a buffer that is handed to the stream in blocks, with the checksum
 * updated as they go, so a file of any size is written with a bounded buffer.
 */
public final class RdbWriter {
    private static final int FLUSH_AT = 64 * 1024;
    /** A write at least this long (a big string, listpack or LZF blob) goes to the stream past the buffer. */
    private static final int DIRECT_AT = 16 * 1024;

    private final OutputStream sink;
    private final boolean compress;
    private final boolean checksum;
    private final Blocks buf = new Blocks();
    private long crc;
    private long written;

    public RdbWriter(OutputStream sink, boolean compress, boolean checksum) {
        this.sink = sink;
        this.compress = compress;
        this.checksum = checksum;
    }

    /** The magic string and version. */
    public void header() throws IOException {
        buf.writeBytes(("REDIS" + String.format("%04d", DumpPayload.RDB_VERSION)).getBytes(StandardCharsets.US_ASCII));
        flushIfFull();
    }

    /** An AUX field (rdbSaveAuxField), both strings written as Redis writes them. */
    public void aux(String key, String value) throws IOException {
        buf.write(RdbTypes.OPCODE_AUX);
        RdbStrings.writeString(buf, key.getBytes(StandardCharsets.UTF_8), compress);
        RdbStrings.writeString(buf, value.getBytes(StandardCharsets.UTF_8), compress);
        flushIfFull();
    }

    /** The function libraries, each as its code (rdbSaveFunctions). */
    public void functions(Iterable<byte[]> libraryCodes) throws IOException {
        try {
            RdbFunctions.write(buf, libraryCodes, compress);
        } catch (UncheckedIOException e) {
            throw e.getCause(); // from a write past the buffer
        }
        flushIfFull();
    }

    /** SELECTDB and the RESIZEDB hint of a database that has keys. */
    public void selectDb(int id, long size, long expires) throws IOException {
        selectDb(id);
        buf.write(RdbTypes.OPCODE_RESIZEDB);
        RdbStrings.writeLength(buf, size);
        RdbStrings.writeLength(buf, expires);
        flushIfFull();
    }

    /**
     * SELECTDB alone: the keys that follow are of database {@code id}. Redis's loader takes it
     * anywhere, so a snapshot that interleaves databases switches back and forth with it.
     */
    public void selectDb(int id) throws IOException {
        buf.write(RdbTypes.OPCODE_SELECTDB);
        RdbStrings.writeLength(buf, id);
        flushIfFull();
    }

    /**
     * One key (rdbSaveKeyValuePair): its expiry if {@code expireAtMs >= 0}, its idle time in
     * seconds if {@code idleSeconds >= 0} (LRU policies), its access counter if {@code freq >= 0}
     * (LFU policies), then type, key and value.
     */
    public void key(byte[] key, Object value, long expireAtMs, long idleSeconds, int freq) throws IOException {
        try {
            writeKey(key, value, expireAtMs, idleSeconds, freq);
        } catch (UncheckedIOException e) {
            throw e.getCause(); // from a write past the buffer
        }
        flushIfFull();
    }

    private void writeKey(byte[] key, Object value, long expireAtMs, long idleSeconds, int freq) {
        if (expireAtMs >= 0) {
            buf.write(RdbTypes.OPCODE_EXPIRETIME_MS);
            RdbStrings.writeMillis(buf, expireAtMs);
        }
        if (idleSeconds >= 0) {
            buf.write(RdbTypes.OPCODE_IDLE);
            RdbStrings.writeLength(buf, idleSeconds);
        }
        if (freq >= 0) {
            buf.write(RdbTypes.OPCODE_FREQ);
            buf.write(freq);
        }
        buf.write(RdbValueWriter.type(value));
        RdbStrings.writeString(buf, key, compress);
        RdbValueWriter.write(buf, value, compress);
    }

    /** The EOF opcode and the checksum; flushes the stream (the caller closes it). */
    public void finish() throws IOException {
        eof();
        byte[] tail = new byte[8];
        Crc64.writeLittleEndian(checksum ? crc : 0, tail, 0);
        sink.write(tail);
        written += 8;
        sink.flush();
    }

    /**
     * The EOF opcode, and everything buffered handed to the stream, without the checksum: for a
     * stream that appends it itself ({@link RdbStreamWriter}).
     */
    public void eof() throws IOException {
        buf.write(RdbTypes.OPCODE_EOF);
        flush();
    }

    /** Bytes handed to the stream so far. */
    public long written() {
        return written + buf.size();
    }

    private void flushIfFull() throws IOException {
        if (buf.size() >= FLUSH_AT) {
            flush();
        }
    }

    private void flush() throws IOException {
        buf.drain();
    }

    /** Hands bytes to the stream, in the checksum. */
    private void pass(byte[] b, int off, int len) throws IOException {
        if (checksum) {
            crc = Crc64.update(crc, b, off, len);
        }
        sink.write(b, off, len);
        written += len;
    }

    /**
     * The buffer the encoders write into: small writes gather in it, a large one is handed to the
     * stream after what gathered, not copied (a 500 MB string would otherwise grow the buffer to
     * a gigabyte and be copied twice).
     */
    private final class Blocks extends ByteArrayOutputStream {
        Blocks() {
            super(FLUSH_AT + 1024);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (len < DIRECT_AT) {
                super.write(b, off, len);
                return;
            }
            try {
                drain();
                pass(b, off, len);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void drain() throws IOException {
            pass(buf, 0, count);
            count = 0;
        }
    }
}
