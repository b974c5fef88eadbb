package io.respire.protocol;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The part of every {@link Reply} that depends on the protocol version: RESP3's own types (maps,
 * sets, pushes, doubles, booleans, big numbers, verbatim strings, null) are written as RESP3 has
 * them, or as the RESP2 types Redis falls back to. Written once here, so that the wire writer and
 * the script's reply builder degrade to RESP2 alike.
 */
public abstract class VersionedReply implements Reply {
    private int protocol = 2;
    private Consumer<String> errorListener;

    @Override
    public final int protocol() {
        return protocol;
    }

    public void protocol(int version) {
        this.protocol = version;
    }

    /**
     * Hears every counted error reply written (the server counts them for INFO errorstats, as
     * Redis's afterErrorReply); null for none.
     */
    public void errorListener(Consumer<String> listener) {
        this.errorListener = listener;
    }

    @Override
    public final void error(String message) {
        errorNotCounted(message);
        if (errorListener != null) {
            errorListener.accept(message);
        }
    }

    @Override
    public final void map(int pairs) {
        if (protocol == 3) {
            mapHeader(pairs);
        } else {
            array(pairs * 2);
        }
    }

    @Override
    public final void set(int length) {
        if (protocol == 3) {
            setHeader(length);
        } else {
            array(length);
        }
    }

    @Override
    public final void push(int length) {
        if (protocol == 3) {
            pushHeader(length);
        } else {
            array(length);
        }
    }

    @Override
    public final void doubleValue(double value) {
        if (protocol == 3) {
            double3(value);
        } else {
            bulk(DoubleFormat.g17(value).getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Override
    public final void humanDouble(double value) {
        String text = DoubleFormat.human(value);
        if (protocol == 3) {
            double3(value, text);
        } else {
            bulk(text.getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Override
    public final void bool(boolean value) {
        if (protocol == 3) {
            bool3(value);
        } else {
            integer(value ? 1 : 0);
        }
    }

    @Override
    public final void bigNumber(String digits) {
        if (protocol == 3) {
            bigNumber3(digits);
        } else {
            bulk(digits.getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Override
    public final void verbatim(String format, String text) {
        if (protocol == 3) {
            verbatim3(format, text);
        } else {
            bulk(text);
        }
    }

    @Override
    public final void nullBulk() {
        if (protocol == 3) {
            null3();
        } else {
            nullBulk2();
        }
    }

    @Override
    public final void nullArray() {
        if (protocol == 3) {
            null3();
        } else {
            nullArray2();
        }
    }

    // ---- The forms each implementation writes

    /** RESP3 map header ({@code %n}). */
    protected abstract void mapHeader(int pairs);

    /** RESP3 set header ({@code ~n}). */
    protected abstract void setHeader(int length);

    /** RESP3 push header ({@code >n}). */
    protected abstract void pushHeader(int length);

    protected abstract void double3(double value);

    /**
     * A RESP3 double written as {@code text} rather than %.17g. By default the double that text
     * reads back as (what a client, or a script, gets from the wire); the wire writer writes the
     * text itself.
     */
    protected void double3(double value, String text) {
        double3(Double.isFinite(value) ? Double.parseDouble(text) : value);
    }

    protected abstract void bool3(boolean value);

    protected abstract void bigNumber3(String digits);

    protected abstract void verbatim3(String format, String text);

    /** RESP3's null ({@code _}). */
    protected abstract void null3();

    /** RESP2's null bulk string ({@code $-1}). */
    protected abstract void nullBulk2();

    /** RESP2's null array ({@code *-1}). */
    protected abstract void nullArray2();
}
