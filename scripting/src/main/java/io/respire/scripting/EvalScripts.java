package io.respire.scripting;

import io.respire.protocol.Reply;
import io.respire.scripting.lua.LuaDebugger;
import io.respire.scripting.lua.LuaInterpreter;
import io.respire.scripting.lua.LuaReplyBuilder;
import io.respire.scripting.lua.RedisRandom;
import org.luaj.vm2.LuaFunction;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;

/**
 * The EVAL engine (Redis's eval.c): one Lua interpreter for all scripts, and the cache of compiled
 * scripts by the SHA1 of their body, which SCRIPT LOAD fills, EVALSHA reads and SCRIPT FLUSH
 * empties (with a fresh interpreter, so that nothing a script left behind survives).
 */
public final class EvalScripts {
    /** A compiled script: its body (for replication as EVAL) and its shebang flags. */
    public record Script(String sha, byte[] body, int flags, LuaFunction function) {
    }

    private final RedisRandom random;
    private final Map<String, Script> scripts = new HashMap<>();
    private LuaInterpreter lua;
    /** Bytes of script bodies and SHAs held (Redis's lua_scripts_mem). */
    private long bodiesMemory;
    /** Changes with every script added and every flush, so that a lookup can be remembered. */
    private long version;

    public EvalScripts(RedisRandom random) {
        this.random = random;
        this.lua = newInterpreter();
    }

    private LuaInterpreter newInterpreter() {
        return new LuaInterpreter(random, this::luaMemory);
    }

    /** Where the commands that scripts call write their replies: the script client's reply. */
    public LuaReplyBuilder replies() {
        return lua.replies();
    }

    /** The cached script with this SHA1 (any case), or null. */
    public Script get(String sha) {
        return sha.length() == 40 ? scripts.get(sha.toLowerCase(java.util.Locale.ROOT)) : null;
    }

    /** The cached script with this SHA1 (any case, as EVALSHA's argument), or null. */
    public Script get(byte[] sha) {
        if (sha.length != 40) {
            return null;
        }
        byte[] lower = sha;
        for (int i = 0; i < 40; i++) {
            if (sha[i] >= 'A' && sha[i] <= 'Z') {
                if (lower == sha) {
                    lower = sha.clone();
                }
                lower[i] += 'a' - 'A';
            }
        }
        return scripts.get(new String(lower, StandardCharsets.ISO_8859_1));
    }

    /** The cached script whose body is {@code body}, or null. */
    public Script cached(byte[] body) {
        return scripts.get(sha1Hex(body));
    }

    /**
     * Whether a script with this SHA1 is cached, in any case: Redis's script dictionary compares
     * its keys case-insensitively (SCRIPT EXISTS of the upper-case SHA1 is 1).
     */
    public boolean exists(String sha) {
        return get(sha) != null;
    }

    /**
     * Redis's luaCreateFunction: the cached script with {@code body}'s SHA1, compiling and caching
     * it first if needed.
     *
     * @throws ScriptException for a bad shebang or code that does not compile, with Redis's text
     */
    public Script load(byte[] body) {
        String sha = sha1Hex(body);
        Script cached = scripts.get(sha);
        if (cached != null) {
            return cached;
        }
        ScriptFlags.Shebang shebang = ScriptFlags.parseShebang(body);
        LuaFunction function;
        try {
            // The shebang line is skipped but its newline kept, so that line numbers stay right.
            function = lua.compile(body, shebang.length(), body.length - shebang.length(), LuaInterpreter.SCRIPT_CHUNK);
        } catch (ScriptException e) {
            throw new ScriptException("Error compiling script (new function): " + e.getMessage());
        }
        Script script = new Script(sha, body.clone(), shebang.flags(), function);
        scripts.put(sha, script);
        bodiesMemory += 40 + body.length;
        version++;
        return script;
    }

    /**
     * Runs {@code script} for {@code run}, writing its result or error to {@code caller}.
     *
     * @return whether the reply is an error already counted in the statistics where it arose
     */
    public boolean run(Script script, ScriptRun run, byte[][] keys, byte[][] args, Reply caller) {
        return lua.call(script.function(), run, keys, args, caller);
    }

    /** As {@link #run}, stopping where {@code debugger} says (SCRIPT DEBUG SYNC); null runs it plainly. */
    public boolean run(Script script, ScriptRun run, byte[][] keys, byte[][] args, Reply caller, LuaDebugger debugger) {
        return lua.call(script.function(), run, keys, args, caller, debugger);
    }

    /** A Lua debugger session for the script {@code body}, which the client behind {@code console} drives. */
    public LuaDebugger debugger(DebugConsole console, byte[] body) {
        return lua.debugger(console, body);
    }

    /** SCRIPT FLUSH: forgets every script and starts a new interpreter. */
    public void flush() {
        version++;
        scripts.clear();
        bodiesMemory = 0;
        lua = newInterpreter();
    }

    /** A number that changes whenever the cache does. */
    public long version() {
        return version;
    }

    public int size() {
        return scripts.size();
    }

    /** INFO's used_memory_scripts_eval: the cached scripts' bodies and SHAs, with per-entry overhead. */
    public long scriptsMemory() {
        return bodiesMemory + scripts.size() * 64L;
    }

    /**
     * INFO's used_memory_lua: an estimate. LuaJ's values live in the JVM heap and cannot be
     * measured apart; this counts an empty interpreter as Redis's empty Lua state (about 31 KB)
     * plus the scripts it holds.
     */
    public long luaMemory() {
        return 31 * 1024 + bodiesMemory * 4;
    }

    static String sha1Hex(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(bytes);
            StringBuilder hex = new StringBuilder(40);
            for (byte b : digest) {
                hex.append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JVM", e);
        }
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
