package io.respire.conformance;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * bin/respire-server, README's start command, run from a copy of the install as a user (or a
 * container image) would have it: the server starts with the JVM options the launcher picks, and
 * with a class data sharing archive made for that copy's jar, which the JVM then really maps (a
 * JVM refuses an archive made for another jar quietly: the launcher hides its CDS log).
 */
class LauncherTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final Path JAR = ROOT.resolve("server/target/respire-server.jar");

    @TempDir
    Path install;

    @Test
    void aCopiedInstallStartsWithAnArchiveOfItsOwnJarAndMakesAnotherForANewJar() throws Exception {
        Assumptions.assumeTrue(Files.exists(Path.of("/proc/self/maps")), "reads /proc/PID/maps (Linux)");
        if (!Files.exists(JAR)) {
            // `mvn verify` packages the server before these tests run; `mvn test` does not.
            if ("true".equals(System.getenv("CI"))) {
                fail("no " + JAR + " to start");
            }
            Assumptions.abort("no " + JAR + ": run mvn verify, or mvn package first");
        }
        Files.createDirectories(install.resolve("bin"));
        Files.createDirectories(install.resolve("server/target"));
        Files.copy(ROOT.resolve("bin/respire-server"), install.resolve("bin/respire-server"));
        Path jar = Files.copy(JAR, install.resolve("server/target/respire-server.jar"));
        // The archives already made beside the original jar come along, as with cp -r: they are for
        // another jar (its path), and must not be taken for the copy's.
        try (Stream<Path> made = Files.list(JAR.getParent())) {
            for (Path archive : made.filter(p -> p.getFileName().toString().endsWith(".jsa")).toList()) {
                Files.copy(archive, install.resolve("server/target").resolve(archive.getFileName()));
            }
        }

        Path first = startMapsOneArchive();
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));
        Path second = startMapsOneArchive();
        assertNotEquals(first, second, "a rebuilt jar gets an archive of its own");
        assertTrue(Files.notExists(first), "the archive of the earlier jar is removed");
    }

    /** Starts the copy, checks that it answers and maps the one archive beside its jar, stops it; returns the archive. */
    private Path startMapsOneArchive() throws Exception {
        int port = RedisServerProcess.freePort();
        ProcessBuilder pb = new ProcessBuilder(install.resolve("bin/respire-server").toString(), "--port",
                String.valueOf(port), "--bind", "127.0.0.1", "--save", "", "--dir", install.toString(), "--logfile",
                "respire.log").redirectErrorStream(true).redirectOutput(install.resolve("stdout.log").toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("RESPIRE_JAVA_OPTS");
        pb.environment().remove("RESPIRE_CDS");
        Process server = pb.start();
        try {
            RespConnection c = awaitServer(port, server);
            List<Path> archives = archives();
            assertEquals(1, archives.size(), "archives beside the jar: " + archives);
            Path archive = archives.get(0);
            // The launcher execs the JVM, so the script's PID is the JVM's. JDK 17 maps the archive's
            // file; JDK 25 was seen to use its archive with no mapping of the file, so there the count
            // and names above are what is checked.
            if (Runtime.version().feature() < 24) {
                String maps = Files.readString(Path.of("/proc", String.valueOf(server.pid()), "maps"));
                assertTrue(maps.contains(archive.toRealPath().toString()), "the JVM maps " + archive);
            }
            c.send("SHUTDOWN", "NOSAVE"); // no reply: the server closes the connection as it exits
            assertTrue(server.waitFor(30, TimeUnit.SECONDS));
            c.close();
            assertEquals(0, server.exitValue());
            return archive;
        } finally {
            server.destroyForcibly();
        }
    }

    /** This JVM's archives beside the copy's jar (a JDK of another major version has its own). */
    private List<Path> archives() throws IOException {
        String prefix = "respire-server-java" + Runtime.version().feature() + "-";
        try (Stream<Path> files = Files.list(install.resolve("server/target"))) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.getFileName().toString().endsWith(".jsa")).toList();
        }
    }

    /** The first start makes the archive (a training run): allow it two minutes on a slow machine. */
    private RespConnection awaitServer(int port, Process server) throws Exception {
        try {
            return RespConnection.awaitServer("the launcher's server", port, server, 120_000);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": " + Files.readString(install.resolve("stdout.log")), e);
        }
    }
}
