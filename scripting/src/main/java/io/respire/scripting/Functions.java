package io.respire.scripting;

import io.respire.persistence.RdbFunctions;
import io.respire.protocol.InlineSplitter;
import io.respire.protocol.Reply;
import io.respire.scripting.lua.LuaInterpreter;
import io.respire.scripting.lua.LuaReplyBuilder;
import io.respire.scripting.lua.RedisRandom;
import org.luaj.vm2.LuaFunction;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The function engine (Redis's functions.c with function_lua.c): libraries of named functions,
 * each library loaded from code that starts with {@code #!lua name=<library>} and registers its
 * functions with {@code redis.register_function}. All libraries share one Lua interpreter, apart
 * from EVAL's. Function names are unique across libraries and found in any case (FCALL f and
 * FCALL F are the same call); library names are case-sensitive.
 *
 * <p>Libraries are kept in the order they were loaded. Redis keeps them in a hash table, in an
 * order that changes from one server start to the next; no client can rely on it.
 */
public final class Functions {
    /** The only engine, as Redis names it in replies. */
    public static final String LUA_ENGINE = "LUA";
    /** FUNCTION LOAD's limit on running a library's code (LOAD_TIMEOUT_MS). */
    public static final long LOAD_TIMEOUT_MS = 500;

    private static final String BAD_NAME = "Library names can only contain letters, numbers, or underscores(_) "
            + "and must be at least one character long";

    /** A registered function: its callback, flags (ScriptFlags bits) and optional description. */
    public record Function(String name, byte[] description, int flags, Library library, LuaFunction callback) {
    }

    /** A library: its name, its whole code (shebang included) and its functions in registration order. */
    public static final class Library {
        private final String name;
        private final byte[] code;
        private final Map<String, Function> functions = new LinkedHashMap<>();

        Library(String name, byte[] code) {
            this.name = name;
            this.code = code;
        }

        public String name() {
            return name;
        }

        public String engine() {
            return LUA_ENGINE;
        }

        public byte[] code() {
            return code;
        }

        public Collection<Function> functions() {
            return Collections.unmodifiableCollection(functions.values());
        }
    }

    /** How FUNCTION RESTORE treats the libraries already there. */
    public enum RestorePolicy {
        /** Delete them all first. */
        FLUSH,
        /** Add the restored ones; a name that exists fails the whole restore (the default). */
        APPEND,
        /** Add the restored ones, replacing libraries of the same name. */
        REPLACE
    }

    /**
     * A set of libraries (Redis's functionsLibCtx): the current one, or one being filled by a
     * restore before it joins the current one.
     */
    static final class Libraries {
        final Map<String, Library> libraries = new LinkedHashMap<>();
        /** Function names in lower case (Redis's case-insensitive dict) to their functions. */
        final Map<String, Function> functions = new HashMap<>();
        /** FUNCTION STATS' counts, kept as Redis keeps them (per library, not from the maps). */
        long libraryCount;
        long functionCount;
        /** Redis's cache_memory: the structures of the libraries and functions linked here. */
        long memory;

        void link(Library library) {
            for (Function f : library.functions.values()) {
                functions.putIfAbsent(key(f.name()), f);
                memory += functionMemory(f);
            }
            libraries.put(library.name, library);
            memory += libraryMemory(library);
            libraryCount++;
            functionCount += library.functions.size();
        }

        void unlink(Library library) {
            for (Function f : library.functions.values()) {
                functions.remove(key(f.name()), f);
                memory -= functionMemory(f);
            }
            libraries.remove(library.name);
            memory -= libraryMemory(library);
            libraryCount--;
            functionCount -= library.functions.size();
        }
    }

    private final LuaInterpreter lua;
    private Libraries current = new Libraries();
    /** Changes whenever the set of functions may have, so that a lookup can be remembered. */
    private long version;

    public Functions(RedisRandom random) {
        this.lua = LuaInterpreter.forFunctions(random, this::vmMemory);
    }

    /** Where the commands that functions call write their replies: the engine client's reply. */
    public LuaReplyBuilder replies() {
        return lua.replies();
    }

    // ---- Loading

    /** A library's shebang line: its engine, its name, and where its code starts. */
    record Metadata(String engine, byte[] name, int codeStart) {
    }

    /**
     * Redis's functionExtractLibMetaData: {@code #!<engine> name=<library>} on the first line, the
     * words split as Redis's sdssplitargs splits them.
     */
    static Metadata parseMetadata(byte[] code) {
        if (code.length < 2 || code[0] != '#' || code[1] != '!') {
            throw new ScriptException("Missing library metadata");
        }
        int end = -1;
        for (int i = 0; i < code.length && code[i] != 0; i++) { // strchr: a NUL ends the search
            if (code[i] == '\n') {
                end = i;
                break;
            }
        }
        if (end < 0) {
            throw new ScriptException("Invalid library metadata");
        }
        byte[][] parts = InlineSplitter.split(java.util.Arrays.copyOf(code, end));
        if (parts == null || parts.length == 0) {
            throw new ScriptException("Invalid library metadata");
        }
        String engine = text(java.util.Arrays.copyOfRange(parts[0], Math.min(2, parts[0].length), parts[0].length));
        byte[] name = null;
        for (int i = 1; i < parts.length; i++) {
            String part = latin1(parts[i]);
            if (part.regionMatches(true, 0, "name=", 0, 5)) {
                if (name != null) {
                    throw new ScriptException("Invalid metadata value, name argument was given multiple times");
                }
                name = java.util.Arrays.copyOfRange(parts[i], 5, parts[i].length);
                continue;
            }
            throw new ScriptException("Invalid metadata value given: " + cString(text(parts[i])));
        }
        if (name == null) {
            throw new ScriptException("Library name was not given");
        }
        return new Metadata(engine, name, end);
    }

    /**
     * FUNCTION LOAD (Redis's functionsCreateWithLibraryCtx on the current libraries): compiles the
     * library and runs its code, which registers its functions. With {@code replace} a library of
     * the same name is replaced, or kept if the new one fails.
     *
     * @param timeoutMs how long the code may run (0: no limit)
     * @param host      where redis.log writes while the code runs
     * @return the library's name
     * @throws ScriptException with Redis's error text (without the ERR code)
     */
    public String load(byte[] code, boolean replace, long timeoutMs, ScriptHost host) {
        version++;
        return create(current, code, replace, timeoutMs, host);
    }

    private String create(Libraries into, byte[] code, boolean replace, long timeoutMs, ScriptHost host) {
        Metadata metadata = parseMetadata(code);
        if (!validName(metadata.name())) {
            throw new ScriptException(BAD_NAME);
        }
        if (!metadata.engine().equalsIgnoreCase(LUA_ENGINE)) {
            throw new ScriptException("Engine '" + cString(metadata.engine()) + "' not found");
        }
        String name = latin1(metadata.name());
        Library old = into.libraries.get(name);
        if (old != null && !replace) {
            throw new ScriptException("Library '" + name + "' already exists");
        }
        if (old != null) {
            into.unlink(old);
        }
        boolean linked = false;
        try {
            Library library = new Library(name, code.clone());
            compileAndRun(library, metadata.codeStart(), timeoutMs, host);
            if (library.functions.isEmpty()) {
                throw new ScriptException("No functions registered");
            }
            for (Function f : library.functions.values()) {
                if (into.functions.containsKey(key(f.name()))) {
                    throw new ScriptException("Function " + f.name() + " already exists");
                }
            }
            into.link(library);
            linked = true;
            return name;
        } finally {
            if (!linked && old != null) {
                into.link(old);
            }
        }
    }

    /** Redis's luaEngineCreate: compile the code (after the shebang) and run it to register. */
    private void compileAndRun(Library library, int start, long timeoutMs, ScriptHost host) {
        byte[] code = library.code; // from the shebang's newline, so that line numbers count from the shebang
        LuaFunction chunk;
        try {
            chunk = lua.compileLibrary(code, start, code.length - start);
        } catch (ScriptException e) {
            throw new ScriptException("Error compiling function: " + e.getMessage());
        }
        try {
            lua.runLibrary(chunk, (fname, callback, description, flags) -> register(library, fname, callback, description, flags),
                    timeoutMs, host);
        } catch (ScriptException e) {
            throw new ScriptException("Error registering functions: " + e.getMessage());
        }
    }

    /** Redis's functionLibCreateFunction. */
    private static String register(Library library, byte[] name, LuaFunction callback, byte[] description, int flags) {
        if (!validName(name)) {
            return BAD_NAME;
        }
        String text = latin1(name);
        if (library.functions.containsKey(text)) {
            return "Function already exists in the library";
        }
        library.functions.put(text, new Function(text, description, flags, library, callback));
        return null;
    }

    /** functionsVerifyName: [a-zA-Z0-9_]+. */
    static boolean validName(byte[] name) {
        if (name.length == 0) {
            return false;
        }
        for (byte b : name) {
            boolean ok = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    // ---- Library management

    /** FUNCTION DELETE: whether the library existed. */
    public boolean delete(String libraryName) {
        Library library = current.libraries.get(libraryName);
        if (library == null) {
            return false;
        }
        current.unlink(library);
        version++;
        return true;
    }

    /** FUNCTION FLUSH: every library goes (the interpreter stays, as Redis's engine does). */
    public void flush() {
        current = new Libraries();
        version++;
    }

    /** A number that changes whenever functions are loaded, deleted, flushed or restored. */
    public long version() {
        return version;
    }

    /** The function FCALL names, in any case, or null. */
    public Function function(byte[] name) {
        return current.functions.get(key(latin1(name)));
    }

    public Collection<Library> libraries() {
        return Collections.unmodifiableCollection(current.libraries.values());
    }

    /** INFO's number_of_functions. */
    public int functionCount() {
        return current.functions.size();
    }

    /** INFO's number_of_libraries. */
    public int libraryCount() {
        return current.libraries.size();
    }

    /** FUNCTION STATS' libraries_count of the Lua engine. */
    public long statsLibraries() {
        return current.libraryCount;
    }

    /** FUNCTION STATS' functions_count of the Lua engine. */
    public long statsFunctions() {
        return current.functionCount;
    }

    // ---- DUMP and RESTORE

    /** FUNCTION DUMP: every library's code in RDB form, with the RDB version and a CRC-64. */
    public byte[] dump(boolean compress) {
        List<byte[]> codes = new ArrayList<>();
        for (Library library : current.libraries.values()) {
            codes.add(library.code);
        }
        return RdbFunctions.dump(codes, compress);
    }

    /**
     * FUNCTION RESTORE: loads the payload's libraries apart, then joins them to the current ones
     * by {@code policy}. Nothing changes if any step fails.
     *
     * @throws ScriptException with Redis's error text (without the ERR code)
     */
    public void restore(byte[] payload, RestorePolicy policy, boolean skipChecksum, ScriptHost host) {
        Libraries restored = new Libraries();
        version++;
        try {
            RdbFunctions.restore(payload, skipChecksum, code -> create(restored, code, false, 0, host));
        } catch (RdbFunctions.FormatException e) {
            throw new ScriptException(e.getMessage());
        }
        if (policy == RestorePolicy.FLUSH) {
            current = restored;
        } else {
            join(restored, policy == RestorePolicy.REPLACE);
        }
    }

    /**
     * Redis's libraryJoin: adds {@code source}'s libraries to the current ones. A library name that
     * exists fails it, unless {@code replace}; a function name that exists fails it always; on
     * failure the replaced libraries are put back.
     */
    private void join(Libraries source, boolean replace) {
        List<Library> replaced = new ArrayList<>();
        boolean done = false;
        try {
            for (Library library : source.libraries.values()) {
                Library old = current.libraries.get(library.name);
                if (old != null) {
                    if (!replace) {
                        throw new ScriptException("Library " + library.name + " already exists");
                    }
                    current.unlink(old);
                    replaced.add(old);
                }
            }
            for (Function f : source.functions.values()) {
                if (current.functions.containsKey(key(f.name()))) {
                    throw new ScriptException("Function " + f.name() + " already exists");
                }
            }
            for (Library library : source.libraries.values()) {
                current.link(library);
            }
            done = true;
        } finally {
            if (!done) {
                for (Library old : replaced) {
                    current.link(old);
                }
            }
        }
    }

    // ---- Running

    /**
     * Runs {@code function} for {@code run}, its keys and arguments given as the callback's two
     * arguments, writing its result or error to {@code caller}.
     *
     * @return whether the reply is an error already counted in the statistics where it arose
     */
    public boolean run(Function function, ScriptRun run, byte[][] keys, byte[][] args, Reply caller) {
        return lua.call(function.callback(), run, keys, args, caller);
    }

    // ---- Memory

    /**
     * INFO's used_memory_vm_functions: an estimate, as EVAL's used_memory_lua is (LuaJ's values
     * live in the JVM heap and cannot be measured apart): Redis's empty function engine (about
     * 33 KB) plus the libraries' code.
     */
    public long vmMemory() {
        long code = 0;
        for (Library library : current.libraries.values()) {
            code += library.code.length;
        }
        return 33 * 1024 + code * 4;
    }

    /**
     * INFO's used_memory_functions (functionsMemoryOverhead): what Redis's own structures take,
     * counted as Redis counts them with jemalloc's allocation sizes; an empty engine is 200 bytes.
     */
    public long overheadMemory() {
        int size = current.functions.size();
        long slots = size == 0 ? 0 : Math.max(4, Long.highestOneBit(size - 1L) << 1);
        return 200 + size * 24L + slots * 8 + current.memory;
    }

    static long functionMemory(Function f) {
        return 48 + sdsAlloc(f.name().length()) + (f.description() != null ? sdsAlloc(f.description().length) : 0) + 8;
    }

    static long libraryMemory(Library library) {
        return 32 + sdsAlloc(library.name.length()) + sdsAlloc(library.code.length);
    }

    /** The allocation of an sds string of {@code length} bytes: its header, the bytes and a NUL. */
    private static long sdsAlloc(long length) {
        int header = length < 32 ? 1 : length < 256 ? 3 : length < 65536 ? 5 : 9;
        return jemallocSize(header + length + 1);
    }

    /** jemalloc's size class for a request: multiples of 16 up to 128, then four classes per doubling. */
    static long jemallocSize(long size) {
        if (size <= 8) {
            return 8;
        }
        if (size <= 128) {
            return (size + 15) & ~15L;
        }
        long spacing = Long.highestOneBit(size - 1) >>> 2;
        return (size + spacing - 1) & -spacing;
    }

    // ---- Names

    /** A function's key: its name in lower case, ASCII only, as strcasecmp compares. */
    private static String key(String name) {
        boolean upper = false;
        for (int i = 0; i < name.length() && !upper; i++) {
            char ch = name.charAt(i);
            upper = ch >= 'A' && ch <= 'Z';
        }
        if (!upper) {
            return name;
        }
        char[] chars = name.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] >= 'A' && chars[i] <= 'Z') {
                chars[i] += 'a' - 'A';
            }
        }
        return new String(chars);
    }

    /** Bytes as an error text shows them. */
    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** A text as C's %s prints it: up to its first NUL. */
    private static String cString(String text) {
        int nul = text.indexOf('\0');
        return nul < 0 ? text : text.substring(0, nul);
    }
}
