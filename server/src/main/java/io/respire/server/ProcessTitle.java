package io.respire.server;

import io.respire.server.config.ProcTitleTemplate;
import io.respire.server.config.ServerConfig;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Redis's redisSetProcTitle: with {@code set-proc-title yes} the process's command line, as ps and
 * /proc/PID/cmdline show it, becomes {@code proc-title-template} expanded, at start and whenever
 * the template or the listening port changes.
 *
 * <p>A JVM has no setproctitle. The kernel shows the bytes of the process's original argument
 * area (between arg_start and arg_end of /proc/self/stat), so the title is written there, through
 * /proc/self/mem, and the rest of the area is cleared. The JVM reads its arguments only while it
 * starts. A title longer than the area (the java command line that started the server) is cut.
 * Only the server of a respire-server process does this: an embedded server leaves its host's title
 * alone (its set-proc-title reads no).
 */
final class ProcessTitle {
    /** The path the server was started as ({title}), passed by bin/respire-server. */
    static final String EXEC_PROPERTY = "respire.exec";
    /** Whether a failure to set the title was logged (once per process). */
    private static boolean warned;

    private ProcessTitle() {
    }

    /** Sets the title if set-proc-title is on; a platform that does not allow it is logged once. */
    static void update(ServerConfig config, int port, ServerLog log) {
        if (!config.setProcTitle.value()) {
            return;
        }
        String title = ProcTitleTemplate.expand(config.procTitleTemplate.value(), name -> variable(config, port, name));
        if (title == null) {
            return; // the template was validated when set
        }
        try {
            write(title.getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            if (!warned) {
                warned = true;
                log.warning("Unable to set the process title (" + e.getMessage() + ").");
            }
        }
    }

    /** Redis's redisProcTitleGetVariable, for the parent process. */
    private static String variable(ServerConfig config, int port, String name) {
        int tlsPort = config.tlsPort.intValue();
        String unixsocket = config.unixsocket.value();
        return switch (name) {
            case "title" -> System.getProperty(EXEC_PROPERTY, "respire-server");
            case "listen-addr" -> port != 0 || tlsPort != 0
                    ? firstAddress(config.bind.addresses()) + ":" + (port != 0 ? port : tlsPort)
                    : "unixsocket:" + (unixsocket == null ? "" : unixsocket);
            case "server-mode" -> "";
            case "config-file" -> config.configFile() == null ? "-" : config.configFile().toString();
            case "port" -> Integer.toString(port);
            case "tls-port" -> Integer.toString(tlsPort);
            case "unixsocket" -> unixsocket == null ? "" : unixsocket;
            default -> null;
        };
    }

    private static String firstAddress(List<String> addresses) {
        return addresses.isEmpty() ? "*" : addresses.get(0);
    }

    /** Writes {@code title} over the argument area, cut to fit, the rest of the area cleared. */
    private static void write(byte[] title) throws IOException {
        long[] area = argumentArea();
        int size = (int) Math.min(area[1] - area[0], 1 << 16);
        if (size <= 1) {
            throw new IOException("no argument area");
        }
        byte[] bytes = new byte[size]; // zeros after the title: the kernel shows one argument
        System.arraycopy(title, 0, bytes, 0, Math.min(title.length, size - 1));
        try (RandomAccessFile mem = new RandomAccessFile("/proc/self/mem", "rw")) {
            mem.seek(area[0]);
            mem.write(bytes);
        }
    }

    /** arg_start and arg_end: fields 48 and 49 of /proc/self/stat (the 46th and 47th after the name). */
    private static long[] argumentArea() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        if (fields.length < 47) {
            throw new IOException("no arg_start in /proc/self/stat");
        }
        return new long[] {Long.parseLong(fields[45]), Long.parseLong(fields[46])};
    }
}
