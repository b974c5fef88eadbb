package io.respire.scripting.lib;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.luaj.vm2.LuaString;

/** A growable byte array for building Lua strings without going through java.lang.String. */
final class ByteBuilder {
    private byte[] buf;
    private int len;

    ByteBuilder() {
        this(64);
    }

    ByteBuilder(int capacity) {
        buf = new byte[Math.max(capacity, 16)];
    }

    int length() {
        return len;
    }

    void reset() {
        len = 0;
    }

    ByteBuilder append(int b) {
        ensure(1);
        buf[len++] = (byte) b;
        return this;
    }

    ByteBuilder append(byte[] bytes, int off, int count) {
        ensure(count);
        System.arraycopy(bytes, off, buf, len, count);
        len += count;
        return this;
    }

    ByteBuilder append(LuaString s) {
        return append(s.m_bytes, s.m_offset, s.m_length);
    }

    /** Appends the first {@code count} bytes of {@code s}. */
    ByteBuilder append(LuaString s, int count) {
        return append(s.m_bytes, s.m_offset, count);
    }

    ByteBuilder appendAscii(String s) {
        return append(s.getBytes(StandardCharsets.US_ASCII), 0, s.length());
    }

    /** Appends {@code count} zero bytes. */
    ByteBuilder appendZeros(int count) {
        ensure(count);
        Arrays.fill(buf, len, len + count, (byte) 0);
        len += count;
        return this;
    }

    LuaString toLuaString() {
        return LuaString.valueUsing(Arrays.copyOf(buf, len));
    }

    private void ensure(int extra) {
        if (extra > buf.length - len) {
            long wanted = Math.max((long) buf.length * 2, (long) len + extra);
            if (wanted > Integer.MAX_VALUE - 8) {
                throw LuaCompat.error("not enough memory");
            }
            buf = Arrays.copyOf(buf, (int) wanted);
        }
    }
}
