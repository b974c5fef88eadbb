package io.respire.ds.string;

import io.respire.ds.util.Accounted;
import java.util.Arrays;

/**
 * A string value that has been changed in place (APPEND, SETRANGE, SETBIT): a byte buffer with
 * spare room, so that repeated appends cost amortised O(1), like Redis's sds. Redis reports such
 * values with the {@code raw} encoding.
 *
 * <p>It also holds the few values Redis stores whole but without trying the integer encoding
 * (INCRBYFLOAT's result): those are {@link #embedded()} until first changed, so that OBJECT ENCODING
 * says {@code embstr} for them as Redis does, even when they look like integers.
 */
public final class MutableString extends Accounted {
    private byte[] bytes;
    private int length;
    private boolean embedded;

    public MutableString(byte[] initial) {
        this.bytes = initial;
        this.length = initial.length;
    }

    /** A value stored whole that Redis keeps as a plain string object (see the class comment). */
    public static MutableString embedded(byte[] value) {
        MutableString s = new MutableString(value);
        s.embedded = true;
        return s;
    }

    /** Whether the value was stored whole and never changed in place since. */
    public boolean embedded() {
        return embedded;
    }

    /** A copy with the same bytes and the same encoding (COPY). */
    public MutableString copy() {
        MutableString s = new MutableString(toBytes());
        s.embedded = embedded;
        return s;
    }

    public int length() {
        return length;
    }

    /** The backing array; only the first {@link #length()} bytes are the value. */
    public byte[] array() {
        return bytes;
    }

    public byte[] toBytes() {
        return Arrays.copyOf(bytes, length);
    }

    public void append(byte[] data) {
        embedded = false;
        ensureCapacity(length + data.length);
        System.arraycopy(data, 0, bytes, length, data.length);
        length += data.length;
    }

    /** Writes {@code data} at {@code offset}, zero-padding any gap, as SETRANGE does. */
    public void write(long offset, byte[] data) {
        embedded = false;
        int end = Math.toIntExact(offset + data.length);
        growTo(end);
        System.arraycopy(data, 0, bytes, (int) offset, data.length);
    }

    /** Grows the value to at least {@code newLength} bytes, padding with zeros. */
    public void growTo(int newLength) {
        embedded = false;
        if (newLength > length) {
            ensureCapacity(newLength);
            Arrays.fill(bytes, length, newLength, (byte) 0);
            length = newLength;
        }
    }

    /**
     * Makes room for {@code extra} bytes past the end without changing the value, as sdsMakeRoomFor:
     * for in-place edits that grow the value by a few bytes (a HyperLogLog's sparse opcodes).
     */
    public void reserve(int extra) {
        ensureCapacity(length + extra);
    }

    /**
     * Sets the length, at most the capacity that {@link #reserve} made: the caller has written the
     * bytes a longer value takes in. Bytes a shorter value drops are cleared, so that growing it
     * again later (APPEND, SETRANGE) reveals zeros, never stale data.
     */
    public void setLength(int newLength) {
        embedded = false;
        if (newLength > bytes.length) {
            throw new IllegalArgumentException("length " + newLength + " beyond capacity " + bytes.length);
        }
        if (newLength < length) {
            Arrays.fill(bytes, newLength, length, (byte) 0);
        }
        length = newLength;
    }

    /** Replaces the whole value with {@code value}, which the string takes over (not copied). */
    public void replace(byte[] value) {
        embedded = false;
        bytes = value;
        length = value.length;
    }

    private void ensureCapacity(int needed) {
        if (needed > bytes.length) {
            // Like sdsMakeRoomFor: double below 1 MB, then grow by 1 MB steps.
            int capacity = needed < 1024 * 1024 ? Math.max(needed * 2, 16) : needed + 1024 * 1024;
            bytes = Arrays.copyOf(bytes, capacity);
        }
    }
}
