package io.respire.scripting.lib;

import java.util.ArrayDeque;
import java.util.Deque;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * Parses JSON into Lua values the way lua-cjson 2.1.0 does in Redis.
 *
 * <ul>
 *   <li>The text is read as a C string: a NUL byte ends it, and a NUL among the first two bytes
 *       is refused as UTF-16/UTF-32.</li>
 *   <li>Numbers are read with strtod, so by default (decode_invalid_numbers on) hexadecimal,
 *       leading zeros, a leading '+', {@code inf} and {@code nan} are accepted too.</li>
 *   <li>\\uXXXX escapes, including surrogate pairs, become UTF-8; other bytes are copied.</li>
 *   <li>null becomes {@link CjsonLib#NULL}; objects and arrays become tables.</li>
 *   <li>Errors name the expected and found token and the 1-based byte position, as in
 *       "Expected value but found invalid token at character 1".</li>
 * </ul>
 */
final class JsonDecoder {

    /** Token types; their names appear in error messages. */
    private enum TokenType {
        T_OBJ_BEGIN, T_OBJ_END, T_ARR_BEGIN, T_ARR_END, T_STRING, T_NUMBER, T_BOOLEAN,
        T_NULL, T_COLON, T_COMMA, T_END, T_WHITESPACE, T_ERROR, T_UNKNOWN
    }

    /** The token just read: its type, where it started, and its value or error text. */
    private static final class Token {
        TokenType type;
        int index;
        LuaValue value;
        String error;
    }

    private static final TokenType[] CHAR_TO_TOKEN = buildTokenTable();
    private static final int[] ESCAPE_TO_CHAR = buildEscapeTable();

    private final CjsonConfig cfg;
    private final byte[] data;
    private final int base;
    private final int length;
    /** Offset of the next byte to read, from the start of the text. */
    private int ptr;
    private int depth;
    /** Lua stack slots the C decoder would be using; nesting also needs free slots. */
    private int stack = 1;
    private final ByteBuilder tmp;

    JsonDecoder(CjsonConfig cfg, LuaString json) {
        this.cfg = cfg;
        this.data = json.m_bytes;
        this.base = json.m_offset;
        this.length = json.m_length;
        this.tmp = new ByteBuilder(Math.min(length, 1 << 16));
    }

    LuaValue decode() {
        if (length >= 2 && (at(0) == 0 || at(1) == 0)) {
            throw LuaCompat.error("JSON parser does not support UTF-16 or UTF-32");
        }
        Token token = new Token();
        nextToken(token);
        LuaValue value = parseValue(token);
        nextToken(token);
        if (token.type != TokenType.T_END) {
            throw parseError("the end", token);
        }
        return value;
    }

    private static TokenType[] buildTokenTable() {
        TokenType[] table = new TokenType[256];
        java.util.Arrays.fill(table, TokenType.T_ERROR);
        table['{'] = TokenType.T_OBJ_BEGIN;
        table['}'] = TokenType.T_OBJ_END;
        table['['] = TokenType.T_ARR_BEGIN;
        table[']'] = TokenType.T_ARR_END;
        table[','] = TokenType.T_COMMA;
        table[':'] = TokenType.T_COLON;
        table[0] = TokenType.T_END;
        for (char c : new char[] {' ', '\t', '\n', '\r'}) {
            table[c] = TokenType.T_WHITESPACE;
        }
        // Characters that may start a literal, number or string.
        for (char c : "fiInNt\"+-0123456789".toCharArray()) {
            table[c] = TokenType.T_UNKNOWN;
        }
        return table;
    }

    private static int[] buildEscapeTable() {
        int[] table = new int[256];
        table['"'] = '"';
        table['\\'] = '\\';
        table['/'] = '/';
        table['b'] = '\b';
        table['t'] = '\t';
        table['n'] = '\n';
        table['f'] = '\f';
        table['r'] = '\r';
        table['u'] = 'u';
        return table;
    }

    /** The byte at offset i; the text behaves as if NUL-terminated, like the C string it is. */
    private int at(int i) {
        return i < length ? data[base + i] & 0xff : 0;
    }

    // ---------------------------------------------------------------- values

    /**
     * An object or array being filled. lua-cjson recurses; this parser keeps the open
     * containers on an explicit stack, so the nesting it accepts is bounded by the same limits
     * as in Redis (decode_max_depth and Lua's stack) rather than by the Java thread's stack.
     */
    private static final class Container {
        final LuaTable table;
        final boolean isObject;
        LuaValue key;
        int nextIndex = 1;

        Container(LuaTable table, boolean isObject) {
            this.table = table;
            this.isObject = isObject;
        }
    }

    /**
     * json_process_value for the value starting with {@code token}, nested values included.
     * Each value occupies a Lua stack slot until stored; an object also holds its key.
     */
    private LuaValue parseValue(Token token) {
        Deque<Container> open = new ArrayDeque<>();
        while (true) {
            LuaValue value = startValue(open, token);
            while (value != null) {
                if (open.isEmpty()) {
                    return value;
                }
                value = store(open, value, token);
            }
        }
    }

    /**
     * Reads the value that {@code token} starts: returns a scalar or an empty container, or
     * opens a container and returns null with {@code token} set to its first value.
     */
    private LuaValue startValue(Deque<Container> open, Token token) {
        switch (token.type) {
            case T_STRING, T_NUMBER, T_BOOLEAN, T_NULL -> {
                stack++;
                return token.value;
            }
            case T_OBJ_BEGIN -> {
                return openContainer(open, token, true);
            }
            case T_ARR_BEGIN -> {
                return openContainer(open, token, false);
            }
            default -> throw parseError("value", token);
        }
    }

    private LuaValue openContainer(Deque<Container> open, Token token, boolean isObject) {
        descend(isObject ? 3 : 2);
        Container c = new Container(new LuaTable(), isObject);
        stack++;
        nextToken(token);
        if (token.type == (isObject ? TokenType.T_OBJ_END : TokenType.T_ARR_END)) {
            depth--;
            return c.table;
        }
        open.push(c);
        if (isObject) {
            readKey(c, token);
        }
        return null;
    }

    /** An object key and its colon; leaves {@code token} at the start of the value. */
    private void readKey(Container c, Token token) {
        if (token.type != TokenType.T_STRING) {
            throw parseError("object key string", token);
        }
        c.key = token.value;
        stack++;
        nextToken(token);
        if (token.type != TokenType.T_COLON) {
            throw parseError("colon", token);
        }
        nextToken(token);
    }

    /**
     * Stores a completed value in the innermost container and reads the separator after it.
     * Returns the container when it closes (it is then itself a completed value), else null
     * with {@code token} at the start of the next value.
     */
    private LuaValue store(Deque<Container> open, LuaValue value, Token token) {
        Container c = open.peek();
        if (c.isObject) {
            c.table.rawset(c.key, value);
            stack -= 2;
        } else {
            c.table.rawset(c.nextIndex++, value);
            stack--;
        }
        nextToken(token);
        if (token.type == (c.isObject ? TokenType.T_OBJ_END : TokenType.T_ARR_END)) {
            depth--;
            open.pop();
            return c.table;
        }
        if (token.type != TokenType.T_COMMA) {
            throw parseError(c.isObject ? "comma or object end" : "comma or array end", token);
        }
        nextToken(token);
        if (c.isObject) {
            readKey(c, token);
        }
        return null;
    }

    /** Enters an object or array: the depth limit, and lua_checkstack(slots). */
    private void descend(int slots) {
        depth++;
        if (depth <= cfg.decodeMaxDepth && stack + slots <= LuaCompat.MAX_C_STACK) {
            return;
        }
        throw LuaCompat.error("Found too many nested data structures (" + depth
                + ") at character " + ptr);
    }

    private LuaLibError parseError(String expected, Token token) {
        String found = token.type == TokenType.T_ERROR ? token.error : token.type.name();
        return LuaCompat.error("Expected " + expected + " but found " + found
                + " at character " + (token.index + 1));
    }

    // ---------------------------------------------------------------- tokens

    private void nextToken(Token token) {
        int ch;
        while (true) {
            ch = at(ptr);
            token.type = CHAR_TO_TOKEN[ch];
            if (token.type != TokenType.T_WHITESPACE) {
                break;
            }
            ptr++;
        }
        token.index = ptr;
        switch (token.type) {
            case T_ERROR -> setError(token, "invalid token");
            case T_END -> { }
            case T_UNKNOWN -> nextCompoundToken(token, ch);
            default -> ptr++;
        }
    }

    /** Strings, numbers and the literals true/false/null (and inf/nan when allowed). */
    private void nextCompoundToken(Token token, int ch) {
        if (ch == '"') {
            nextStringToken(token);
        } else if (ch == '-' || CNumbers.isDigit(ch)) {
            if (!cfg.decodeInvalidNumbers && isInvalidNumber()) {
                setError(token, "invalid number");
                return;
            }
            nextNumberToken(token);
        } else if (matches("true")) {
            literal(token, TokenType.T_BOOLEAN, LuaValue.TRUE, 4);
        } else if (matches("false")) {
            literal(token, TokenType.T_BOOLEAN, LuaValue.FALSE, 5);
        } else if (matches("null")) {
            literal(token, TokenType.T_NULL, CjsonLib.NULL, 4);
        } else if (cfg.decodeInvalidNumbers && isInvalidNumber()) {
            // Only forms known to be non-JSON numbers (inf, nan, '+', hex) get here, so that
            // other bad input is reported as an invalid token rather than an invalid number.
            nextNumberToken(token);
        } else {
            setError(token, "invalid token");
        }
    }

    private void literal(Token token, TokenType type, LuaValue value, int size) {
        token.type = type;
        token.value = value;
        ptr += size;
    }

    private boolean matches(String word) {
        for (int i = 0; i < word.length(); i++) {
            if (at(ptr + i) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The error token leaves the cursor where the problem is, which the message reports. */
    private void setError(Token token, String error) {
        token.type = TokenType.T_ERROR;
        token.index = ptr;
        token.error = error;
    }

    /**
     * json_is_invalid_number: forms strtod accepts but JSON does not (leading '+', hex, leading
     * zeros, inf, nan). Anything else is left for strtod to accept or reject.
     */
    private boolean isInvalidNumber() {
        int p = ptr;
        if (at(p) == '+') {
            return true;
        }
        if (at(p) == '-') {
            p++;
        }
        if (at(p) == '0') {
            int ch2 = at(p + 1);
            return (ch2 | 0x20) == 'x' || CNumbers.isDigit(ch2);
        }
        if (at(p) <= '9') {
            return false;
        }
        return startsWithIgnoreCase(p, "inf") || startsWithIgnoreCase(p, "nan");
    }

    private boolean startsWithIgnoreCase(int p, String word) {
        for (int i = 0; i < word.length(); i++) {
            int c = at(p + i);
            if (c >= 'A' && c <= 'Z') {
                c |= 0x20;
            }
            if (c != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void nextNumberToken(Token token) {
        CNumbers.Parsed parsed = CNumbers.strtod(data, base + ptr, base + length);
        if (parsed.failed(base + ptr)) {
            setError(token, "invalid number");
            return;
        }
        token.type = TokenType.T_NUMBER;
        token.value = LuaValue.valueOf(parsed.value());
        ptr = parsed.end() - base;
    }

    private void nextStringToken(Token token) {
        ptr++;
        tmp.reset();
        int ch;
        while ((ch = at(ptr)) != '"') {
            if (ch == 0) {
                setError(token, "unexpected end of string");
                return;
            }
            if (ch == '\\') {
                int escaped = ESCAPE_TO_CHAR[at(ptr + 1)];
                if (escaped == 'u') {
                    if (appendUnicodeEscape()) {
                        continue;
                    }
                    setError(token, "invalid unicode escape code");
                    return;
                }
                if (escaped == 0) {
                    setError(token, "invalid escape code");
                    return;
                }
                ch = escaped;
                ptr++;
            }
            tmp.append(ch);
            ptr++;
        }
        ptr++;
        token.type = TokenType.T_STRING;
        token.value = tmp.toLuaString();
    }

    // ---------------------------------------------------------------- unicode escapes

    /**
     * Decodes \\uXXXX at the cursor (or a \\uD8xx\\uDCxx surrogate pair) to UTF-8 and moves
     * past it. Returns false for bad hex digits or an unpaired or misordered surrogate.
     */
    private boolean appendUnicodeEscape() {
        int codepoint = decodeHex4(ptr + 2);
        if (codepoint < 0) {
            return false;
        }
        int escapeLength = 6;
        if ((codepoint & 0xF800) == 0xD800) {
            if ((codepoint & 0x400) != 0) {
                return false;
            }
            if (at(ptr + 6) != '\\' || at(ptr + 7) != 'u') {
                return false;
            }
            int low = decodeHex4(ptr + 8);
            if (low < 0 || (low & 0xFC00) != 0xDC00) {
                return false;
            }
            codepoint = (((codepoint & 0x3FF) << 10) | (low & 0x3FF)) + 0x10000;
            escapeLength = 12;
        }
        appendUtf8(codepoint);
        ptr += escapeLength;
        return true;
    }

    private int decodeHex4(int p) {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int c = at(p + i);
            if (!CNumbers.isHexDigit(c)) {
                return -1;
            }
            int digit = CNumbers.isDigit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
            value = (value << 4) | digit;
        }
        return value;
    }

    private void appendUtf8(int codepoint) {
        if (codepoint <= 0x7F) {
            tmp.append(codepoint);
        } else if (codepoint <= 0x7FF) {
            tmp.append(0xC0 | (codepoint >> 6)).append(0x80 | (codepoint & 0x3F));
        } else if (codepoint <= 0xFFFF) {
            tmp.append(0xE0 | (codepoint >> 12)).append(0x80 | ((codepoint >> 6) & 0x3F))
                    .append(0x80 | (codepoint & 0x3F));
        } else {
            tmp.append(0xF0 | (codepoint >> 18)).append(0x80 | ((codepoint >> 12) & 0x3F))
                    .append(0x80 | ((codepoint >> 6) & 0x3F)).append(0x80 | (codepoint & 0x3F));
        }
    }
}
