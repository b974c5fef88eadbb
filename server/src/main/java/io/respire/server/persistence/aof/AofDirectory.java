package io.respire.server.persistence.aof;

import io.respire.persistence.aof.AofManifest;
import io.respire.server.CpuAffinity;
import io.respire.server.ServerContext;
import io.respire.server.config.ServerConfig;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The AOF directory ({@code dir}/{@code appenddirname}) and its files: where each file is, the
 * manifest persisted as Redis's writeAofManifestFile does it (a temporary file, fsynced, renamed
 * over the manifest, then the directory fsynced, so a crash leaves the old manifest or the new
 * one), file sizes, and deletion.
 */
final class AofDirectory {
    private final ServerContext server;
    private ThreadPoolExecutor closer;

    AofDirectory(ServerContext server) {
        this.server = server;
    }

    private ServerConfig config() {
        return server.config();
    }

    Path dir() {
        return config().dir.resolve(config().appenddirname.value());
    }

    Path file(String name) {
        return dir().resolve(name);
    }

    String prefix() {
        return config().appendfilename.value();
    }

    Path manifestPath() {
        return file(AofManifest.manifestName(prefix()));
    }

    /** Creates the directory if missing (dirCreateIfMissing); false, logged as Redis logs it, on failure. */
    boolean create() {
        try {
            Files.createDirectories(dir());
            return true;
        } catch (IOException e) {
            server.log().warning("Can't open or create append-only dir " + config().appenddirname.value() + ": "
                    + AppendOnlyFile.reason(e));
            return false;
        }
    }

    /** Writes {@code manifest} (persistAofManifest); false, logged, if it could not be. */
    boolean persist(AofManifest manifest) {
        String tempName = AofManifest.tempManifestName(prefix());
        Path temp = file(tempName);
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(out, manifest.format().getBytes(StandardCharsets.ISO_8859_1));
            out.force(true);
        } catch (IOException e) {
            server.log().warning("Error trying to write the temporary AOF manifest file " + tempName + ": " + AppendOnlyFile.reason(e));
            return false;
        }
        try {
            Files.move(temp, manifestPath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            server.log().warning("Error trying to rename the temporary AOF manifest file " + tempName + " into "
                    + manifestPath().getFileName() + ": " + AppendOnlyFile.reason(e));
            return false;
        }
        return fsyncDir();
    }

    /** The directory's entry for a renamed or new file reaches the disk too (fsyncFileDir). */
    boolean fsyncDir() {
        try (FileChannel d = FileChannel.open(dir(), StandardOpenOption.READ)) {
            d.force(true);
            return true;
        } catch (IOException e) {
            server.log().warning("Fail to fsync AOF directory " + manifestPath() + ": " + AppendOnlyFile.reason(e));
            return false;
        }
    }

    /** The file's size, or -1 if it cannot be read (getAppendOnlyFileSize). */
    long size(String name) {
        try {
            return Files.size(file(name));
        } catch (IOException e) {
            server.log().warning("Unable to obtain the AOF file " + name + " length. stat: " + AppendOnlyFile.reason(e));
            return -1;
        }
    }

    /**
     * Deletes a file that is no longer needed, as Redis's bg_unlink does: the name goes at once,
     * but the file is held open until then and closed on a background thread, so that freeing
     * its blocks (tens of ms for an old base of 100 MB or more) does not hold up the executor. A
     * failure is not an error.
     */
    void delete(Path p) {
        FileChannel open;
        try {
            open = FileChannel.open(p, StandardOpenOption.READ);
        } catch (IOException e) {
            open = null; // missing or unreadable: the unlink alone
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // as Redis: nothing depends on it
        }
        if (open != null) {
            FileChannel last = open;
            closer().execute(() -> {
                try {
                    last.close();
                } catch (IOException e) {
                    // the name is gone already
                }
            });
        }
    }

    /** Redis's bio close jobs: a thread that ends when idle, pinned to bio_cpulist. */
    private synchronized ThreadPoolExecutor closer() {
        if (closer == null) {
            ThreadFactory named = CpuAffinity.threads("respire-bio-close", config().bioCpulist.value(), server.log());
            closer = new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = named.newThread(r);
                t.setDaemon(true);
                return t;
            });
        }
        return closer;
    }

    /** Opens a file for appending (O_WRONLY|O_APPEND|O_CREAT), or truncated when {@code truncate}. */
    FileChannel open(String name, boolean truncate) throws IOException {
        return truncate
                ? FileChannel.open(file(name), StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING)
                : FileChannel.open(file(name), StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
    }

    static void writeFully(FileChannel out, byte[] data) throws IOException {
        writeFully(out, ByteBuffer.wrap(data));
    }

    /** The most a write hands the channel at once (see {@link #writeFully(FileChannel, ByteBuffer)}). */
    private static final int WRITE_SLICE = 1 << 20;

    /**
     * Writes what {@code data} holds, at most {@value #WRITE_SLICE} bytes per call, its position
     * advancing as it goes (what was written when an error is thrown). The JDK copies a heap
     * buffer into a temporary direct buffer of the write's size and keeps that buffer for the
     * thread: one 300 MB write would hold 300 MB of native memory for good.
     */
    static void writeFully(FileChannel out, ByteBuffer data) throws IOException {
        int limit = data.limit();
        try {
            while (data.position() < limit) {
                data.limit(Math.min(limit, data.position() + WRITE_SLICE));
                out.write(data);
            }
        } finally {
            data.limit(limit);
        }
    }
}
