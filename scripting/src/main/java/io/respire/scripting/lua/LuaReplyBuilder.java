package io.respire.scripting.lua;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.respire.protocol.RespReplyWriter;
import io.respire.protocol.VersionedReply;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The reply of a command that a script called, built directly as the Lua value redis.call returns
 * (Redis writes the reply as RESP and parses it back: redisProtocolToLuaType). The commands write
 * through the ordinary {@link io.respire.protocol.Reply} API and never know who reads them. The
 * protocol is the script's (redis.setresp): in RESP2 maps arrive flat, doubles as strings, and
 * both nulls as {@code false}; in RESP3 a null is {@code nil}, and maps, sets, doubles, big
 * numbers and verbatim strings are tables with one field naming the type.
 */
public final class LuaReplyBuilder extends VersionedReply {
    private static final LuaString OK = LuaValue.valueOf("ok");
    private static final LuaString ERR = LuaValue.valueOf("err");
    static final LuaString IGNORE_ERROR_STATS = LuaValue.valueOf("ignore_error_stats_update");
    private static final LuaString MAP = LuaValue.valueOf("map");
    private static final LuaString SET = LuaValue.valueOf("set");
    private static final LuaString DOUBLE = LuaValue.valueOf("double");
    private static final LuaString BIG_NUMBER = LuaValue.valueOf("big_number");
    private static final LuaString VERBATIM = LuaValue.valueOf("verbatim_string");
    private static final LuaString STRING = LuaValue.valueOf("string");
    private static final LuaString FORMAT = LuaValue.valueOf("format");

    private static final byte[] NULL_BULK2 = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_ARRAY2 = "*-1\r\n".getBytes(StandardCharsets.US_ASCII);

    private enum Kind { ARRAY, MAP, SET, ATTRIBUTE }

    /** An aggregate being filled. */
    private static final class Frame {
        final Kind kind;
        final LuaTable table;
        int remaining;
        int nextIndex = 1;
        LuaValue pendingKey;

        Frame(Kind kind, LuaTable table, int remaining) {
            this.kind = kind;
            this.table = table;
            this.remaining = remaining;
        }
    }

    private final List<Frame> open = new ArrayList<>();
    private LuaValue result;
    private boolean complete;
    /**
     * While the debugger logs the commands a script runs: the same reply as RESP (RESP3 framing for
     * what already is a RESP3 type), which the debugger shows as Redis shows the protocol it parses.
     */
    private RespReplyWriter mirror;

    /** Starts or stops keeping the RESP form of the replies (see {@link #takeRecorded}). */
    void record(boolean on) {
        if (!on) {
            mirror = null;
        } else if (mirror == null) {
            mirror = new RespReplyWriter(Unpooled.buffer(64));
            mirror.protocol(3);
        }
    }

    /** The RESP of what was replied since the last call, or null when not recording. */
    byte[] takeRecorded() {
        if (mirror == null) {
            return null;
        }
        byte[] bytes = ByteBufUtil.getBytes(mirror.target());
        mirror.target().clear();
        return bytes;
    }

    /** The value the last command replied, and readiness for the next command. */
    public LuaValue take() {
        LuaValue value = complete ? result : LuaValue.NIL;
        result = null;
        complete = false;
        open.clear();
        return value;
    }

    /** Whether the command has written its whole reply. */
    public boolean complete() {
        return complete;
    }

    /** A finished value: the reply itself, or the next element of the aggregate being filled. */
    private void add(LuaValue value) {
        if (open.isEmpty()) {
            result = value;
            complete = true;
            return;
        }
        Frame frame = open.get(open.size() - 1);
        switch (frame.kind) {
            case ARRAY -> frame.table.rawset(frame.nextIndex++, value);
            case SET -> frame.table.rawset(value, LuaValue.TRUE);
            case MAP -> {
                if (frame.pendingKey == null) {
                    frame.pendingKey = value;
                    frame.remaining++; // a pair counts once, when its value arrives
                } else {
                    frame.table.rawset(frame.pendingKey, value);
                    frame.pendingKey = null;
                }
            }
            case ATTRIBUTE -> {
                // Attributes are not shown to scripts (as in Redis): parsed and dropped.
            }
        }
        if (--frame.remaining == 0) {
            open.remove(open.size() - 1);
            finish(frame);
        }
    }

    private void finish(Frame frame) {
        switch (frame.kind) {
            case ARRAY -> add(frame.table);
            case MAP -> add(wrap(MAP, frame.table));
            case SET -> add(wrap(SET, frame.table));
            case ATTRIBUTE -> {
                // the reply the attribute annotates follows
            }
        }
    }

    private void begin(Kind kind, int length) {
        LuaTable table = new LuaTable(kind == Kind.ARRAY ? length : 0, kind == Kind.ARRAY ? 0 : length);
        if (length == 0) {
            finish(new Frame(kind, table, 0));
            return;
        }
        open.add(new Frame(kind, table, kind == Kind.ATTRIBUTE ? length * 2 : length));
    }

    private static LuaTable wrap(LuaString field, LuaValue value) {
        LuaTable table = new LuaTable(0, 1);
        table.rawset(field, value);
        return table;
    }

    @Override
    public void simple(String status) {
        if (mirror != null) {
            mirror.simple(status);
        }
        add(wrap(OK, LuaValue.valueOf(status.getBytes(StandardCharsets.UTF_8))));
    }

    @Override
    public void ok() {
        simple("OK");
    }

    @Override
    public void errorNotCounted(String message) {
        if (mirror != null) {
            mirror.errorNotCounted(message);
        }
        add(errorTable(message, true));
    }

    /**
     * Redis's luaPushErrorBuff for a reply's error text: {err="CODE message"} (a text without a
     * code gets ERR), trailing newlines trimmed; {@code counted} marks an error whose statistics
     * were already counted where it arose.
     */
    static LuaTable errorTable(String message, boolean counted) {
        int space = message.indexOf(' ');
        String text = space < 0 ? "ERR " + message : message;
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\r' || text.charAt(end - 1) == '\n')) {
            end--;
        }
        LuaTable table = new LuaTable(0, 2);
        table.rawset(ERR, LuaValue.valueOf(text.substring(0, end).getBytes(StandardCharsets.UTF_8)));
        if (counted) {
            table.rawset(IGNORE_ERROR_STATS, LuaValue.TRUE);
        }
        return table;
    }

    @Override
    public void integer(long value) {
        if (mirror != null) {
            mirror.integer(value);
        }
        add(LuaValue.valueOf((double) value));
    }

    @Override
    public void bulk(byte[] value) {
        bulk(value, 0, value.length);
    }

    @Override
    public void bulk(byte[] value, int offset, int length) {
        if (mirror != null) {
            mirror.bulk(value, offset, length);
        }
        // A copy: the command may hand over the stored value itself, which later writes change.
        byte[] copy = new byte[length];
        System.arraycopy(value, offset, copy, 0, length);
        add(LuaString.valueUsing(copy));
    }

    @Override
    public void bulk(String value) {
        if (mirror != null) {
            mirror.bulk(value);
        }
        add(LuaString.valueUsing(value.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void bulkLong(long value) {
        if (mirror != null) {
            mirror.bulkLong(value);
        }
        add(LuaString.valueUsing(Long.toString(value).getBytes(StandardCharsets.US_ASCII)));
    }

    @Override
    public void array(int length) {
        if (mirror != null) {
            mirror.array(length);
        }
        begin(Kind.ARRAY, length);
    }

    @Override
    protected void mapHeader(int pairs) {
        if (mirror != null) {
            mirror.map(pairs);
        }
        begin(Kind.MAP, pairs);
    }

    @Override
    protected void setHeader(int length) {
        if (mirror != null) {
            mirror.set(length);
        }
        begin(Kind.SET, length);
    }

    @Override
    protected void pushHeader(int length) {
        if (mirror != null) {
            mirror.push(length);
        }
        begin(Kind.ARRAY, length);
    }

    @Override
    public void attribute(int pairs) {
        if (mirror != null) {
            mirror.attribute(pairs);
        }
        begin(Kind.ATTRIBUTE, pairs);
    }

    @Override
    protected void double3(double value) {
        if (mirror != null) {
            mirror.doubleValue(value);
        }
        add(wrap(DOUBLE, LuaValue.valueOf(value)));
    }

    @Override
    protected void bool3(boolean value) {
        if (mirror != null) {
            mirror.bool(value);
        }
        add(LuaValue.valueOf(value));
    }

    @Override
    protected void bigNumber3(String digits) {
        if (mirror != null) {
            mirror.bigNumber(digits);
        }
        add(wrap(BIG_NUMBER, LuaValue.valueOf(digits)));
    }

    @Override
    protected void verbatim3(String format, String text) {
        if (mirror != null) {
            mirror.verbatim(format, text);
        }
        LuaTable inner = new LuaTable(0, 2);
        inner.rawset(STRING, LuaString.valueUsing(text.getBytes(StandardCharsets.UTF_8)));
        inner.rawset(FORMAT, LuaValue.valueOf(format));
        add(wrap(VERBATIM, inner));
    }

    @Override
    protected void null3() {
        if (mirror != null) {
            mirror.nullBulk();
        }
        add(LuaValue.NIL);
    }

    @Override
    protected void nullBulk2() {
        if (mirror != null) {
            mirror.raw(NULL_BULK2);
        }
        add(LuaValue.FALSE);
    }

    @Override
    protected void nullArray2() {
        if (mirror != null) {
            mirror.raw(NULL_ARRAY2);
        }
        add(LuaValue.FALSE);
    }
}
