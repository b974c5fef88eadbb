package io.respire.server;

import io.respire.server.config.ServerConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * Settings that ask for something Respire does not do yet. A server never pretends: with one of
 * these it does not start. The check runs once the server is set up, where Redis fails when it
 * cannot do what the configuration asks (its "Can't open the append-only file" exit), rather than
 * while the file is read: Redis's test suite, which starts servers with such settings in some
 * blocks, then sees the failure in the log within seconds instead of waiting two minutes for a
 * logo that never comes.
 *
 * <p>Tuning settings of a missing feature (repl-timeout...) are accepted: they ask nothing until
 * the feature is switched on, and what switches it on is refused here or answers "unknown
 * command". So are values that ask for what Respire does ({@code maxmemory 0}).
 */
final class MissingFeatures {
    private MissingFeatures() {
    }

    /** What the configuration asks that Respire cannot do, one log line each; empty if nothing. */
    static List<String> refused(ServerConfig config) {
        List<String> lines = new ArrayList<>();
        for (String directive : config.unsupportedDirectives()) {
            lines.add("The '" + directive + "' directive is not supported by Respire.");
        }
        if (config.clusterEnabled.value()) {
            lines.add("Can't start in cluster mode: Respire has no cluster support yet (cluster-enabled yes).");
        }
        if (config.daemonize.value()) {
            lines.add("Can't daemonize: a JVM cannot fork; run Respire in the foreground (daemonize yes).");
        }
        if (config.syslogEnabled.value()) {
            lines.add("Can't log to syslog: Respire logs to stdout or the logfile only (syslog-enabled yes).");
        }
        String supervised = config.supervised.value();
        if (supervised.equals("systemd") || supervised.equals("upstart")) {
            lines.add("Can't be supervised by " + supervised + ": Respire does not notify a supervisor (supervised "
                    + supervised + ").");
        }
        return lines;
    }
}
