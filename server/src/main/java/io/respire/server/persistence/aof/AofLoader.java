package io.respire.server.persistence.aof;

import io.respire.persistence.RdbFormatException;
import io.respire.persistence.aof.AofCommandReader;
import io.respire.persistence.aof.AofFormatException;
import io.respire.persistence.aof.AofManifest;
import io.respire.server.Client;
import io.respire.server.ServerContext;
import io.respire.server.ServerLog;
import io.respire.server.command.CommandId;
import io.respire.server.command.CommandSpec;
import io.respire.server.persistence.Snapshots;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Loads the files of a manifest into the databases (Redis's loadAppendOnlyFiles and
 * loadSingleAppendOnlyFile): the base (an RDB, possibly followed by commands, or commands) then
 * the incremental files in order, each command run through the dispatcher as the AOF client,
 * with Redis's log lines. A file that ends inside a command is cut after the last complete one
 * when aof-load-truncated allows it and it is the last file; anything else fails the load.
 */
final class AofLoader {
    enum Status { OK, NOT_EXIST, EMPTY, OPEN_ERR, FAILED, TRUNCATED }

    /** What a load did: its status, the size of the files loaded and of the base among them. */
    record Result(Status status, long totalSize, long baseSize) {
        boolean failed() {
            return status == Status.OPEN_ERR || status == Status.FAILED;
        }
    }

    private static final int BUFFER = 1 << 16;

    private final ServerContext server;
    private final AofDirectory files;

    AofLoader(ServerContext server, AofDirectory files) {
        this.server = server;
        this.files = files;
    }

    private ServerLog log() {
        return server.log();
    }

    /** loadAppendOnlyFiles: every file of {@code manifest}, base first. */
    Result loadAll(AofManifest manifest) {
        if (manifest.isEmpty()) {
            return new Result(Status.NOT_EXIST, 0, 0);
        }
        List<String> names = new ArrayList<>();
        if (manifest.base() != null) {
            names.add(manifest.base().name());
        }
        manifest.incrs().forEach(e -> names.add(e.name()));
        long total = 0;
        for (String name : names) {
            long size = files.size(name);
            if (size < 0) {
                return new Result(Status.FAILED, 0, 0); // a file of the manifest missing is fatal
            }
            total += size;
        }
        if (total == 0) {
            return new Result(Status.EMPTY, 0, 0);
        }
        long baseSize = manifest.base() == null ? 0 : files.size(manifest.base().name());
        server.snapshots().loader().loading(true);
        server.propagation().suspend(true);
        try {
            for (int i = 0; i < names.size(); i++) {
                boolean base = i == 0 && manifest.base() != null;
                Status s = loadTimed(names.get(i), base, i == names.size() - 1);
                if (s == Status.OPEN_ERR || s == Status.FAILED) {
                    return new Result(s, 0, 0);
                }
            }
        } finally {
            server.propagation().suspend(false);
            server.snapshots().loader().loading(false);
        }
        return new Result(Status.OK, total, baseSize);
    }

    private Status loadTimed(String name, boolean base, boolean last) {
        long start = System.nanoTime();
        Status s = loadSingle(name);
        if (s == Status.OK || (s == Status.TRUNCATED && last)) {
            log().notice(String.format(Locale.ROOT, "DB loaded from %s file %s: %.3f seconds", base ? "base" : "incr",
                    name, (System.nanoTime() - start) / 1e9));
        }
        if (s == Status.TRUNCATED && !last) {
            log().warning("Fatal error: the truncated file is not the last file");
            return Status.FAILED;
        }
        return s == Status.EMPTY ? Status.OK : s;
    }

    /** loadSingleAppendOnlyFile. */
    Status loadSingle(String name) {
        Path path = files.file(name);
        if (!Files.exists(path)) {
            log().warning("The append log file " + name + " doesn't exist: No such file or directory");
            return Status.NOT_EXIST;
        }
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = file.size();
            if (size == 0) {
                return Status.EMPTY;
            }
            long start = 0;
            if (isRdb(path)) {
                start = loadRdb(name, file, size);
                if (start < 0) {
                    return Status.FAILED;
                }
                file.position(start); // the RDB's reader read ahead
            }
            InputStream in = new BufferedInputStream(Channels.newInputStream(file), BUFFER);
            return loadCommands(name, in, start, size);
        } catch (IOException e) {
            log().warning("Fatal error: can't open the append log file " + name + " for reading: " + AppendOnlyFile.reason(e));
            return Status.OPEN_ERR;
        }
    }

    private static boolean isRdb(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return new String(in.readNBytes(5), StandardCharsets.US_ASCII).equals("REDIS");
        }
    }

    /** The RDB base, or an old single AOF's RDB preamble; where it ends, or -1 if it failed. */
    private long loadRdb(String name, FileChannel file, long size) throws IOException {
        boolean oldStyle = name.equals(files.prefix());
        log().notice(oldStyle ? "Reading RDB preamble from AOF file..." : "Reading RDB base file on AOF loading...");
        try {
            long end = server.snapshots().loader().loadRdbPrefix(file, size);
            if (oldStyle) {
                log().notice("Reading the remaining AOF tail...");
            }
            return end;
        } catch (RdbFormatException e) {
            log().warning(oldStyle
                    ? "Error reading the RDB preamble of the AOF file " + name + ", AOF loading aborted"
                    : "Error reading the RDB base file " + name + ", AOF loading aborted");
            return -1;
        }
    }

    /** The commands from {@code start} to the end, run as the AOF client. */
    private Status loadCommands(String name, InputStream in, long start, long size) throws IOException {
        AofCommandReader reader = new AofCommandReader(in, start, size);
        Client client = Client.aofLoader(server);
        long validBeforeMulti = start;
        long delay = server.config().keyLoadDelay.value();
        try {
            for (long loops = 0; ; loops++) {
                if (loops % 1024 == 0) {
                    server.processEventsWhileBlocked(); // clients get LOADING meanwhile
                }
                long before = reader.position();
                byte[][] argv = reader.next();
                if (argv == null) {
                    break;
                }
                CommandSpec cmd = server.commands().lookup(argv);
                if (cmd == null || !cmd.implemented()) {
                    log().warning("Unknown command '" + new String(argv[0], StandardCharsets.UTF_8)
                            + "' reading the append only file " + name);
                    return Status.FAILED;
                }
                if (cmd.id() == CommandId.MULTI) {
                    validBeforeMulti = before;
                }
                server.dispatcher().replay(client, argv, cmd);
                client.dropReplies();
                if (delay > 0) {
                    Snapshots.pause(delay);
                }
            }
        } catch (AofFormatException e) {
            client.discardTransaction();
            if (e.truncated()) {
                return truncated(name, e.validUpTo());
            }
            log().warning("Bad file format reading the append only file " + name
                    + ": make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>");
            return Status.FAILED;
        }
        if (client.multi().active()) {
            // A transaction the file does not finish is cut off, as a short read.
            log().warning("Revert incomplete MULTI/EXEC transaction in AOF file " + name);
            client.discardTransaction();
            return truncated(name, validBeforeMulti);
        }
        return Status.OK;
    }

    /** The end of a file that stops inside a command (Redis's uxeof). */
    private Status truncated(String name, long validUpTo) {
        if (server.config().aofLoadTruncated.value()) {
            log().warning("!!! Warning: short read while loading the AOF file " + name + "!!!");
            log().warning("!!! Truncating the AOF " + name + " at offset " + validUpTo + " !!!");
            try (FileChannel f = FileChannel.open(files.file(name), StandardOpenOption.WRITE)) {
                f.truncate(validUpTo);
                log().warning("AOF " + name + " loaded anyway because aof-load-truncated is enabled");
                return Status.TRUNCATED;
            } catch (IOException e) {
                log().warning("Error truncating the AOF file " + name + ": " + AppendOnlyFile.reason(e));
            }
        }
        log().warning("Unexpected end of file reading the append only file " + name + ". You can: "
                + "1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. "
                + "2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.");
        return Status.FAILED;
    }
}
