package io.respire.scripting.lib;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The Lua snippets of the differential test (differential-corpus.lua), each wrapped with the
 * shared prelude into a complete script that returns one string in Redis and in LuaJ.
 *
 * <p>Corpus format: a line {@code -- @case name} starts a case; the lines up to the next such
 * line are the body of a function whose results (or error) the prelude renders as text.
 */
final class DifferentialCorpus {

    /** One snippet: its name and the complete script to run. */
    record Case(String name, String body, byte[] script) {
        @Override
        public String toString() {
            return name;
        }
    }

    private DifferentialCorpus() {
    }

    static List<Case> load() {
        String prelude = resource("differential-prelude.lua");
        String corpus = resource("differential-corpus.lua");
        List<Case> cases = new ArrayList<>();
        String name = null;
        StringBuilder body = new StringBuilder();
        for (String line : corpus.split("\n", -1)) {
            if (line.startsWith("-- @case ")) {
                if (name != null) {
                    cases.add(wrap(prelude, name, body.toString()));
                }
                name = line.substring("-- @case ".length()).trim();
                body.setLength(0);
            } else if (name != null) {
                body.append(line).append('\n');
            }
        }
        if (name != null) {
            cases.add(wrap(prelude, name, body.toString()));
        }
        return cases;
    }

    private static Case wrap(String prelude, String name, String body) {
        String script = prelude + "local function __case()\n" + body + "end\nreturn finish(pcall(__case))\n";
        return new Case(name, body, script.getBytes(StandardCharsets.UTF_8));
    }

    private static String resource(String name) {
        try (InputStream in = DifferentialCorpus.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
