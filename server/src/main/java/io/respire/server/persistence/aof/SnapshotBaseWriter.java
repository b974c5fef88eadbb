package io.respire.server.persistence.aof;

import io.respire.server.ServerContext;
import io.respire.server.persistence.Snapshots;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The base file from a copy of the dataset serialized on the executor in one go (the way BGSAVE
 * works today), written and fsynced on a thread of its own. rdb-key-save-delay slows the writer,
 * not the executor, as in BGSAVE: Redis's tests use it to keep a rewrite running.
 */
final class SnapshotBaseWriter implements BaseWriter {
    private final ServerContext server;
    private Thread writer;
    /** The running write's flag: each write has its own, so a write given up can't end the next. */
    private AtomicBoolean aborted;

    SnapshotBaseWriter(ServerContext server) {
        this.server = server;
    }

    @Override
    public void start(Path temp, boolean rdb, Consumer<Boolean> done) {
        byte[] image = serialize(rdb);
        long delayMicros = Math.max(0, server.config().rdbKeySaveDelay.value()) * server.snapshots().keysIn();
        AtomicBoolean aborted = new AtomicBoolean();
        this.aborted = aborted;
        Thread t = new Thread(() -> {
            Snapshots.pause(delayMicros);
            boolean ok = !aborted.get() && writeFile(temp, image);
            if (ok) {
                server.log().notice("Successfully created the temporary AOF base file " + temp.getFileName());
            }
            server.executor().execute(() -> {
                if (!aborted.get()) {
                    writer = null;
                    done.accept(ok);
                }
            });
        }, "respire-aof-rewrite");
        t.setDaemon(true);
        writer = t;
        t.start();
    }

    @Override
    public boolean writeNow(Path temp, boolean rdb) {
        return writeFile(temp, serialize(rdb));
    }

    @Override
    public void abort() {
        if (writer != null) {
            aborted.set(true);
            writer.interrupt();
            writer = null;
        }
    }

    private byte[] serialize(boolean rdb) {
        ByteArrayOutputStream image = new ByteArrayOutputStream();
        try {
            if (rdb) {
                server.snapshots().writeAofBase(image);
            } else {
                CommandBase.write(server, image);
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e); // a ByteArrayOutputStream does not fail
        }
        return image.toByteArray();
    }

    /** rewriteAppendOnlyFile's file part: written, fsynced, closed; false, logged, on failure. */
    private boolean writeFile(Path temp, byte[] image) {
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            AofDirectory.writeFully(out, image);
            out.force(true);
            return true;
        } catch (IOException e) {
            server.log().warning("Write error writing append only file on disk: " + AppendOnlyFile.reason(e));
            return false;
        }
    }
}
