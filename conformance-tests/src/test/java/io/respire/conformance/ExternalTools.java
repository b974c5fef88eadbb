package io.respire.conformance;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds the real Redis programs the conformance tests compare against (redis-server, redis-cli)
 * and applies one policy when they are missing: on CI (env {@code CI=true}) that is a failure,
 * since a silently skipped differential suite proves nothing; on a developer's machine the tests
 * are skipped with a message saying what to install. {@code REDIS_SERVER} / {@code REDIS_CLI}
 * env variables may point at specific binaries.
 */
final class ExternalTools {
    static final String EXPECTED_REDIS_VERSION = "7.0.15";

    private ExternalTools() {
    }

    static boolean onCi() {
        return "true".equalsIgnoreCase(System.getenv("CI")) || "1".equals(System.getenv("CI"));
    }

    /** Fails on CI, skips elsewhere. Never returns. */
    static void unavailable(String why) {
        String message = why + " (install Debian's redis-server and redis-tools packages: .ci/run does)";
        if (onCi()) {
            Assertions.fail(message + "; failing because CI=true");
        }
        Assumptions.abort(message + "; skipped locally, this fails on CI");
    }

    /** The named program from its env override or PATH, if it exists. */
    static Optional<Path> find(String program, String envOverride) {
        String override = System.getenv(envOverride);
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The redis-server binary, or the missing-tool policy. */
    static Path redisServer() {
        Optional<Path> server = find("redis-server", "REDIS_SERVER");
        if (server.isEmpty()) {
            unavailable("redis-server not found on PATH (or REDIS_SERVER)");
        }
        return server.get();
    }

    /** The redis-cli binary, or the missing-tool policy. */
    static Path redisCli() {
        Optional<Path> cli = find("redis-cli", "REDIS_CLI");
        if (cli.isEmpty()) {
            unavailable("redis-cli not found on PATH (or REDIS_CLI)");
        }
        return cli.get();
    }

    /** The output of {@code program --version}, or an explanation of why it could not run. */
    static String version(Path program) {
        try {
            Process p = new ProcessBuilder(program.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "cannot run " + program + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
