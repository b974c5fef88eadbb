package io.respire.persistence.aof;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Bytes appended to a growable array: the AOF's aof_buf, the replication stream's scratch, a
 * command base being written. Not a {@link java.io.ByteArrayOutputStream}, whose every call takes
 * a lock: {@link AofCommandWriter#append} makes about a dozen calls per command, on the path of
 * every write once an AOF or a replication backlog exists.
 */
public class CommandBuffer extends OutputStream {
    private static final byte[] MIN_LONG = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);
    /** The largest array the JVM surely allocates. */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    protected byte[] buf;
    protected int count;

    public CommandBuffer() {
        this(256);
    }

    public CommandBuffer(int capacity) {
        buf = new byte[capacity];
    }

    @Override
    public void write(int b) {
        ensure(1);
        buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, count, len);
        count += len;
    }

    @Override
    public void write(byte[] b) {
        write(b, 0, b.length);
    }

    /** {@code n} in decimal ASCII, without a String on the way. */
    public void writeDecimal(long n) {
        if (n == Long.MIN_VALUE) {
            write(MIN_LONG);
            return;
        }
        ensure(20);
        if (n < 0) {
            buf[count++] = '-';
            n = -n;
        }
        int digits = 1;
        for (long p = 10; digits < 19 && p <= n; p *= 10) {
            digits++;
        }
        for (int i = count + digits - 1; i >= count; i--) {
            buf[i] = (byte) ('0' + n % 10);
            n /= 10;
        }
        count += digits;
    }

    /** The bytes written so far. */
    public int size() {
        return count;
    }

    /** The backing array, valid up to {@link #size()} until the next write. */
    public byte[] array() {
        return buf;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, count);
    }

    /** Empties the buffer, keeping its room. */
    public void reset() {
        count = 0;
    }

    /**
     * Empties the buffer, keeping at most {@code keptRoom} bytes of room: one huge command must
     * not hold its size for good in a buffer that lives as long as the server.
     */
    public void reset(int keptRoom) {
        count = 0;
        if (buf.length > keptRoom) {
            buf = new byte[keptRoom];
        }
    }

    private void ensure(int more) {
        if ((long) count + more > buf.length) {
            makeRoom(more);
        }
    }

    private void makeRoom(int more) {
        if (count > 0 && spill() && more <= buf.length) {
            return;
        }
        long needed = (long) count + more;
        if (needed > MAX_ARRAY) {
            throw new OutOfMemoryError("a command buffer cannot hold " + needed + " bytes");
        }
        buf = Arrays.copyOf(buf, (int) Math.min(MAX_ARRAY, Math.max(needed, 2L * buf.length)));
    }

    /**
     * The buffer is full: a subclass that passes its bytes on (a base written as it is produced)
     * takes {@code buf[0, count)} elsewhere, empties it and returns true; otherwise it grows.
     */
    protected boolean spill() {
        return false;
    }
}
