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
        String worked = vmMessage(e);
        raw = worked != null && fromTheVm(raw) ? worked : asLua51(raw);
        Place place = place(e);
        if (place == null || (int) LEVEL.get(e) == 0) {
            return LuaValue.valueOf(raw);
        }
        return LuaValue.valueOf(shortSource(place.source()) + ":" + place.line() + ": " + raw);
    }

    /** Whether LuaJ has not yet seen {@code e} pass a Lua function (no place, no traceback). */
    static boolean fresh(LuaError e) {
        return FILELINE.get(e) == null && TRACEBACK.get(e) == null;
    }

    /** The Lua 5.1 text {@link RunHook#traceback} worked out where the error was raised, or null. */
    private static String vmMessage(LuaError e) {
        String traceback = (String) TRACEBACK.get(e);
        if (traceback == null) {
            return null;
        }
        int mark = traceback.lastIndexOf(RunHook.VM_MESSAGE_MARK);
        return mark < 0 ? null : traceback.substring(mark + RunHook.VM_MESSAGE_MARK.length());
    }

    /** Whether LuaJ's text is that of an error an instruction raised (not one of a called function). */
    private static boolean fromTheVm(String raw) {
        return raw.startsWith("attempt to ") || raw.contains(" expected, got ") || raw.startsWith("index expected")
                || raw.startsWith("table index") || raw.startsWith("vm error: ");
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
        String s = compileSource(source);
        // loadstring's [string "..."] names are cut for compile errors (Redis's MAXSRC, 80); runtime
        // errors cut them shorter (LUA_IDSIZE, 60): 43 characters of the first line.
        if (s.startsWith("[string \"") && s.endsWith("\"]")) {
            String label = s.substring(9, s.length() - 2);
            String line = label.endsWith("...") ? label.substring(0, label.length() - 3) : label;
            if (line.length() > 43) {
                return "[string \"" + line.substring(0, 43) + "...\"]";
            }
        }
        return s;
    }

    /** The chunk name as compile errors show it. */
    static String compileSource(String source) {
        return source.startsWith("@") || source.startsWith("=") ? source.substring(1) : source;
    }

    /** An error raised with a value (an error table), which keeps the place where it passed. */
    static LuaError raise(LuaTable errorTable) {
        return new LuaError(errorTable);
    }
}
