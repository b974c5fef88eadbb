package io.respire.scripting.lua;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What a Lua error says, as Lua 5.1 says it. LuaJ keeps an error's raw message and the place it
 * was raised apart ("@user_script:3" and "boom") and joins them its own way; Lua 5.1 writes
 * "user_script:3: boom", and not at all for {@code error(msg, 0)} or for non-string error values.
 * Redis's error handler also reports the place separately ({@code source}, {@code line}).
 */
final class LuaErrors {
    private static final VarHandle FILELINE;
    private static final VarHandle LEVEL;
    private static final VarHandle TRACEBACK;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(LuaError.class, MethodHandles.lookup());
            FILELINE = lookup.findVarHandle(LuaError.class, "fileline", String.class);
            LEVEL = lookup.findVarHandle(LuaError.class, "level", int.class);
            TRACEBACK = lookup.findVarHandle(LuaError.class, "traceback", String.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private LuaErrors() {
    }

    /** Where an error was raised: the chunk's source ("@user_script") and line, or null. */
    record Place(String source, String line) {
    }

    /** The place LuaJ recorded for {@code e} (the innermost Lua function it passed), or null. */
    static Place place(LuaError e) {
        String fileline = (String) FILELINE.get(e);
        if (fileline == null) {
            return null;
        }
        int colon = fileline.lastIndexOf(':');
        if (colon < 0) {
            return null;
        }
        return new Place(fileline.substring(0, colon), fileline.substring(colon + 1));
    }

    /**
     * The error value a Lua 5.1 pcall would see: the value given to {@code error()} if it was not
     * a string, else the message with "source:line: " before it unless raised at level 0.
     */
    static LuaValue value(LuaError e) {
        LuaValue object = e.getMessageObject();
        if (object != null && !(object instanceof LuaString) && object.type() != LuaValue.TNUMBER) {
            return object;
        }
        String raw = rawMessage(e);
        if (raw == null) {
            return LuaValue.NIL;
        }
        raw = withOperand(asLua51(raw), operand(e));
        Place place = place(e);
        if (place == null || (int) LEVEL.get(e) == 0) {
            return LuaValue.valueOf(raw);
        }
        return LuaValue.valueOf(shortSource(place.source()) + ":" + place.line() + ": " + raw);
    }

    /** The message as raised, without LuaJ's place or traceback. */
    private static String rawMessage(LuaError e) {
        String fileline = (String) FILELINE.get(e);
        String traceback = (String) TRACEBACK.get(e);
        FILELINE.set(e, (String) null);
        TRACEBACK.set(e, (String) null);
        try {
            return e.getMessage();
        } finally {
            FILELINE.set(e, fileline);
            TRACEBACK.set(e, traceback);
        }
    }

    /** The name {@link RunHook#traceback} gave the value the failing instruction used, or null. */
    private static String operand(LuaError e) {
        String traceback = (String) TRACEBACK.get(e);
        int mark = traceback == null ? -1 : traceback.lastIndexOf(RunHook.OPERAND_MARK);
        return mark < 0 ? null : traceback.substring(mark + RunHook.OPERAND_MARK.length());
    }

    /**
     * Lua 5.1's luaG_typeerror for a call, an index or a length that failed on a named value:
     * "attempt to call field 'f' (a nil value)" rather than "attempt to call a nil value".
     */
    static String withOperand(String message, String operand) {
        if (operand == null) {
            return message;
        }
        for (String op : new String[] {"attempt to call a ", "attempt to index a ", "attempt to get length of a "}) {
            if (message.startsWith(op) && message.endsWith(" value") && message.indexOf(' ', op.length()) == message.length() - 6) {
                String type = message.substring(op.length(), message.length() - 6);
                return op.substring(0, op.length() - 2) + operand + " (a " + type + " value)";
            }
        }
        return message;
    }

    private static final java.util.regex.Pattern ARITHMETIC =
            java.util.regex.Pattern.compile("attempt to perform arithmetic (?:\\S+ )?on (\\w+)(?: and (\\w+))?");
    private static final java.util.regex.Pattern TWO_OPERANDS =
            java.util.regex.Pattern.compile("attempt to (concatenate|compare) (\\w+) (?:and|with) (\\w+)");

    /**
     * LuaJ's runtime error texts in Lua 5.1's words ("attempt to call nil" is "attempt to call a
     * nil value"). Lua 5.1 also names the variable where it can ("local 't'"); LuaJ does not know
     * it, so the generic form is the nearest.
     */
    static String asLua51(String message) {
        if (message.startsWith("index expected, got ")) {
            // LuaJ's words for assigning a field of a value that is not a table (only settable says it).
            return "attempt to index a " + message.substring("index expected, got ".length()) + " value";
        }
        if (!message.startsWith("attempt to ")) {
            return message;
        }
        java.util.regex.Matcher m = ARITHMETIC.matcher(message);
        if (m.matches()) {
            // Lua reports the first operand that is not a number.
            String culprit = m.group(2) == null || !m.group(1).equals("number") ? m.group(1) : m.group(2);
            return "attempt to perform arithmetic on a " + culprit + " value";
        }
        m = TWO_OPERANDS.matcher(message);
        if (m.matches()) {
            String a = m.group(2);
            String b = m.group(3);
            if (m.group(1).equals("concatenate")) {
                String culprit = a.equals("string") || a.equals("number") ? b : a;
                return "attempt to concatenate a " + culprit + " value";
            }
            return a.equals(b) ? "attempt to compare two " + a + " values" : "attempt to compare " + a + " with " + b;
        }
        if (message.startsWith("attempt to index ? (a ")) {
            return "attempt to index a " + message.substring("attempt to index ? (a ".length(), message.length() - 1);
        }
        for (String op : new String[] {"attempt to call ", "attempt to get length of "}) {
            if (message.startsWith(op) && message.indexOf(' ', op.length()) < 0) {
                return op + "a " + message.substring(op.length()) + " value";
            }
        }
        return message;
    }

    /** Lua's luaO_chunkid for the chunk names Respire uses: "@user_script" is shown as "user_script". */
    static String shortSource(String source) {
        return source.startsWith("@") || source.startsWith("=") ? source.substring(1) : source;
    }

    /** An error raised with a value (an error table), which keeps the place where it passed. */
    static LuaError raise(LuaTable errorTable) {
        return new LuaError(errorTable);
    }
}
