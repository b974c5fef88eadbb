package io.respire.conformance;

import org.opentest4j.AssertionFailedError;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Follows the current incremental file of a multi-part AOF directory (the last {@code type i} of
 * its manifest) as {@code tail -f} would, going on to the next one when a rewrite opens it: each
 * call returns the commands appended since the last one, up to a marker. It parses the file independently of Respire's reader and insists on the
 * canonical encoding (the bytes of each command are exactly the RESP array of its arguments), so
 * that equal arguments mean equal bytes. An annotation line is returned as a one-word command.
 */
final class AofTail {
    private final String name;
    private final Path appendDir;
    private String file;
    private long offset;

    /** Starts at the current end of the directory's incremental file. */
    AofTail(String name, Path appendDir) {
        this.name = name;
        this.appendDir = appendDir;
        this.file = currentIncrementalFile();
        this.offset = size(appendDir.resolve(file));
    }

    /** The commands appended before the one that contains {@code marker} (excluded), waiting for it. */
    List<List<String>> readUntil(String marker) {
        List<List<String>> commands = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            // Named before reading: if a rewrite switched files, the old one was complete before the read.
            String current = currentIncrementalFile();
            byte[] bytes = read(appendDir.resolve(file), offset);
            int[] at = {0};
            List<String> command;
            while ((command = parse(bytes, at)) != null) {
                offset += at[0];
                bytes = Arrays.copyOfRange(bytes, at[0], bytes.length);
                at[0] = 0;
                if (command.contains(marker)) {
                    return commands;
                }
                commands.add(command);
            }
            if (!current.equals(file)) {
                file = current; // a rewrite started: the rest is in the new incremental file
                offset = 0;
                continue;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionFailedError(name + "'s AOF never got the marker " + marker + "; read: " + commands);
            }
            sleep();
        }
    }

    private String currentIncrementalFile() {
        String last = null;
        try {
            for (String line : Files.readAllLines(appendDir.resolve("appendonly.aof.manifest"), StandardCharsets.ISO_8859_1)) {
                String[] words = line.split(" ");
                if (words.length == 6 && words[0].equals("file") && words[5].equals("i")) {
                    last = words[1];
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(name + "'s AOF manifest", e);
        }
        if (last == null) {
            throw new AssertionFailedError(name + "'s AOF manifest names no incremental file");
        }
        return last;
    }

    /**
     * The command starting at {@code at[0]}, which is moved after it, or null if the bytes end
     * before it does. Anything but a canonical RESP array of bulk strings fails.
     */
    private List<String> parse(byte[] bytes, int[] at) {
        int start = at[0];
        String header = line(bytes, at);
        if (header == null) {
            return null;
        }
        if (header.startsWith("#")) {
            return List.of(header); // an annotation (#TS:<unix time>), which loaders skip: as one word
        }
        if (!header.startsWith("*")) {
            throw new AssertionFailedError(name + "'s AOF has \"" + header + "\" at a command's start");
        }
        int argc = Integer.parseInt(header.substring(1));
        List<String> args = new ArrayList<>(argc);
        for (int i = 0; i < argc; i++) {
            String bulk = line(bytes, at);
            if (bulk == null) {
                return null;
            }
            int length = Integer.parseInt(bulk.substring(1));
            if (at[0] + length + 2 > bytes.length) {
                return null;
            }
            args.add(new String(bytes, at[0], length, StandardCharsets.ISO_8859_1));
            at[0] += length + 2;
        }
        byte[] canonical = RespConnection.encode(args.stream().map(a -> a.getBytes(StandardCharsets.ISO_8859_1)).toArray());
        if (!Arrays.equals(canonical, Arrays.copyOfRange(bytes, start, at[0]))) {
            throw new AssertionFailedError(name + "'s AOF encodes " + args + " as \""
                    + RespReply.escape(Arrays.copyOfRange(bytes, start, at[0])) + "\"");
        }
        return args;
    }

    private static String line(byte[] bytes, int[] at) {
        for (int i = at[0]; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                String s = new String(bytes, at[0], i - at[0], StandardCharsets.ISO_8859_1);
                at[0] = i + 2;
                return s;
            }
        }
        return null;
    }

    private static byte[] read(Path file, long from) {
        try (var channel = Files.newByteChannel(file)) {
            channel.position(from);
            return java.nio.channels.Channels.newInputStream(channel).readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep() {
        try {
            TimeUnit.MILLISECONDS.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionFailedError("interrupted");
        }
    }
}
