package io.respire.conformance;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One reply exactly as a server sent it: the raw bytes (what differential tests compare by
 * default) plus a parsed tree, so that comparisons which must tolerate a legitimate difference
 * (element order, an id, a TTL that ticked) can look inside, and so that failures print readably.
 * Covers every RESP2 and RESP3 type.
 */
final class RespReply {
    /** The type byte: one of {@code + - : $ * _ , # ( ! = % ~ > |}. */
    final char type;
    /** The rest of the first line: the text of simple types, or the length of the others. */
    final String head;
    /** The payload of bulk-like types ({@code $ ! =}); null otherwise or when null. */
    final byte[] data;
    /** Elements of aggregates (maps and attributes flattened as key, value, key, value...). */
    final List<RespReply> children;
    final byte[] raw;

    RespReply(char type, String head, byte[] data, List<RespReply> children, byte[] raw) {
        this.type = type;
        this.head = head;
        this.data = data;
        this.children = children == null ? List.of() : Collections.unmodifiableList(children);
        this.raw = raw;
    }

    boolean isError() {
        return type == '-' || type == '!';
    }

    boolean isAggregate() {
        return "*~%>|".indexOf(type) >= 0 && !head.startsWith("-");
    }

    boolean isNull() {
        return type == '_' || ("$*".indexOf(type) >= 0 && head.startsWith("-"));
    }

    /** The value as text: simple and bulk strings, numbers, error messages. */
    String text() {
        return data != null ? new String(data, StandardCharsets.UTF_8) : head;
    }

    /** An integer reply's value (or a numeric simple/bulk string's). */
    long asLong() {
        return Long.parseLong(text());
    }

    /**
     * Whether both replies have the same shape: the type byte and, for aggregates, the same
     * length. Used where only the value may differ (ids, timestamps).
     */
    boolean sameShape(RespReply other) {
        return type == other.type && (!isAggregate() || children.size() == other.children.size());
    }

    /** A redis-cli-like multi-line rendering, with the RESP type of each element shown. */
    String render() {
        StringBuilder sb = new StringBuilder();
        render(sb, "");
        return sb.toString();
    }

    private void render(StringBuilder sb, String indent) {
        switch (type) {
            case '+' -> sb.append("(simple) ").append(head);
            case '-' -> sb.append("(error) ").append(head);
            case ':' -> sb.append("(integer) ").append(head);
            case '_' -> sb.append("(null)");
            case ',' -> sb.append("(double) ").append(head);
            case '#' -> sb.append(head.equals("t") ? "(true)" : "(false)");
            case '(' -> sb.append("(big number) ").append(head);
            case '$', '!', '=' -> {
                if (data == null) {
                    sb.append("(nil bulk)");
                } else {
                    sb.append(type == '!' ? "(bulk error) " : type == '=' ? "(verbatim) " : "")
                            .append('"').append(escape(data)).append('"');
                }
            }
            default -> {
                if (!isAggregate()) {
                    sb.append("(nil array)");
                    return;
                }
                String kind = switch (type) {
                    case '~' -> "set";
                    case '%' -> "map";
                    case '>' -> "push";
                    case '|' -> "attribute";
                    default -> "array";
                };
                sb.append('(').append(kind).append(", ").append(head).append(')');
                if (children.isEmpty()) {
                    sb.append(" (empty)");
                }
                for (int i = 0; i < children.size(); i++) {
                    sb.append('\n').append(indent).append(i + 1).append(") ");
                    children.get(i).render(sb, indent + "   ");
                }
            }
        }
    }

    /** Bytes as a Java-like string literal body: printable ASCII as is, the rest escaped. */
    static String escape(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            int c = b & 0xff;
            switch (c) {
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        sb.append((char) c);
                    } else {
                        sb.append(String.format("\\x%02x", c));
                    }
                }
            }
        }
        return sb.toString();
    }

    /** Reads replies from a byte source; each read returns one complete reply. */
    interface Source {
        /** The next byte, or -1 at end of stream. */
        int read() throws java.io.IOException;

        byte[] readN(int n) throws java.io.IOException;
    }

    /** Parses one reply from {@code in}; throws EOFException if the stream ends before it starts. */
    static RespReply read(Source in) throws java.io.IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        return read(in, raw, true);
    }

    private static RespReply read(Source in, ByteArrayOutputStream raw, boolean top) throws java.io.IOException {
        int start = raw.size();
        String line = readLine(in, raw);
        char type = line.charAt(0);
        String head = line.substring(1);
        byte[] data = null;
        List<RespReply> children = null;
        switch (type) {
            case '+', '-', ':', '_', ',', '#', '(' -> {
            }
            case '$', '!', '=' -> {
                int n = Integer.parseInt(head);
                if (n >= 0) {
                    data = in.readN(n);
                    raw.writeBytes(data);
                    if (in.read() != '\r' || in.read() != '\n') {
                        throw new java.io.IOException("bulk payload not followed by CRLF");
                    }
                    raw.write('\r');
                    raw.write('\n');
                }
            }
            case '*', '~', '>', '%', '|' -> {
                long n = Long.parseLong(head);
                long count = (type == '%' || type == '|') ? 2 * n : n;
                children = new ArrayList<>();
                for (long i = 0; i < count; i++) {
                    children.add(read(in, raw, false));
                }
                if (type == '|') {
                    // An attribute decorates the reply that follows it: keep them together.
                    children.add(read(in, raw, false));
                }
            }
            default -> throw new java.io.IOException("not a RESP type byte: " + escape(line.getBytes(StandardCharsets.ISO_8859_1)));
        }
        byte[] all = raw.toByteArray();
        byte[] own = top && start == 0 ? all : java.util.Arrays.copyOfRange(all, start, all.length);
        return new RespReply(type, head, data, children, own);
    }

    private static String readLine(Source in, ByteArrayOutputStream raw) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c == -1) {
                throw new java.io.EOFException(sb.length() == 0 ? "connection closed"
                        : "connection closed in the middle of a reply line: " + sb);
            }
            sb.append((char) c);
        }
        if (in.read() != '\n') {
            throw new java.io.IOException("reply line not ended by CRLF: " + sb);
        }
        raw.writeBytes(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        raw.write('\r');
        raw.write('\n');
        return sb.toString();
    }
}
