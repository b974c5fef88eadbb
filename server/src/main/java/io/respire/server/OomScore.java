package io.respire.server;

import io.respire.server.config.ServerConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Redis's setOOMScoreAdj: with oom-score-adj on, the process's /proc/self/oom_score_adj is the
 * value oom-score-adj-values gives for its role (primary or replica; Respire has no child
 * processes), added to the score it had before ("relative") or as is ("absolute"), bounded to
 * [-1000, 1000]. Turned off, the score goes back to what it was.
 *
 * <p>Only a server that owns its process applies it: an embedded server does not change its
 * host's score, so turning the setting on there is refused rather than accepted and ignored.
 */
public final class OomScore {
    /** Redis's CONFIG_OOM_MASTER and CONFIG_OOM_REPLICA: the index into oom-score-adj-values. */
    private static final int PRIMARY = 0;
    private static final int REPLICA = 1;
    private static final String FAILED = "Failed to set current oom_score_adj. Check server logs.";

    private final ServerContext server;
    private final Path file;
    /** Whether this server owns its process (false when embedded). */
    private volatile boolean ownsProcess;
    /** Whether the score was changed by us, and what it was before (Redis's two statics). */
    private boolean adjusted;
    private int base;

    OomScore(ServerContext server) {
        this(server, Path.of("/proc/self/oom_score_adj"));
    }

    OomScore(ServerContext server, Path file) {
        this.server = server;
        this.file = file;
    }

    /** Called by a server started as a process: from now on the setting applies to it. */
    void ownProcess() {
        ownsProcess = true;
    }

    /**
     * Applies the setting for the server's current role. CONFIG SET of either setting and a change
     * of role call it.
     *
     * @throws IllegalArgumentException with Redis's "Failed to set current oom_score_adj" when the
     *     score cannot be read or written (the reason is logged)
     */
    public void apply() {
        ServerConfig config = server.config();
        int mode = config.oomScoreAdj.intValue(); // 0 no, 1 relative, 2 absolute
        int value;
        if (mode != 0) {
            if (!ownsProcess) {
                server.log().warning("Unable to write oom_score_adj: an embedded server leaves its host process's score alone");
                throw new IllegalArgumentException(FAILED);
            }
            if (!adjusted) {
                try {
                    base = Integer.parseInt(Files.readString(file, StandardCharsets.US_ASCII).trim());
                } catch (IOException | NumberFormatException e) {
                    server.log().warning("Unable to read oom_score_adj: " + reason(e));
                    throw new IllegalArgumentException(FAILED);
                }
                adjusted = true;
            }
            List<Integer> values = config.oomScoreAdjValues.values();
            value = values.get(server.masterLink().host() != null ? REPLICA : PRIMARY);
            if (mode == 1) {
                value += base;
            }
            value = Math.max(-1000, Math.min(1000, value));
        } else if (adjusted) {
            adjusted = false;
            value = base;
        } else {
            return;
        }
        try {
            Files.writeString(file, value + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            server.log().warning("Unable to write oom_score_adj: " + reason(e));
            throw new IllegalArgumentException(FAILED);
        }
    }

    /** At start and on a change of role, where Redis ignores setOOMScoreAdj's result: a failure is only logged. */
    public void reapply() {
        try {
            apply();
        } catch (IllegalArgumentException e) {
            // the reason is logged already
        }
    }

    private static String reason(Exception e) {
        return e instanceof java.nio.file.AccessDeniedException ? "Permission denied"
                : e instanceof java.nio.file.NoSuchFileException ? "No such file or directory"
                : String.valueOf(e.getMessage());
    }
}
