package io.respire.server;

import io.respire.server.config.ServerConfig;

import java.lang.management.ManagementFactory;

/**
 * Redis's adjustOpenFilesLimit: maxclients must fit in the process's open-file limit, less 32
 * descriptors kept for the server's own files. The JVM raises its soft limit to the hard one as it
 * starts and Respire cannot raise it further, so where Redis would try setrlimit, a maxclients
 * over the limit is lowered at start, with Redis's log lines, and refused by CONFIG SET with
 * Redis's error, rather than accepted and then failing to accept clients.
 */
final class FileLimits {
    /** Redis's CONFIG_MIN_RESERVED_FDS. */
    static final int RESERVED = 32;

    private FileLimits() {
    }

    /** The open-file limit of this process, or -1 if the platform does not tell. */
    static long openFileLimit() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return -1;
    }

    /**
     * At start: lowers maxclients to what the limit allows, logging why.
     *
     * @throws StartupException if the limit is too low to start at all
     */
    static void adjustAtStart(ServerConfig config, ServerLog log) {
        long limit = openFileLimit();
        long wanted = config.maxclients.value() + RESERVED;
        if (limit < 0 || wanted <= limit) {
            return;
        }
        if (limit <= RESERVED) {
            String line = "Your current 'ulimit -n' of " + limit + " is not enough for the server to start. "
                    + "Please increase your open file limit to at least " + wanted + ". Exiting.";
            log.warning(line);
            throw new StartupException(line);
        }
        log.warning("You requested maxclients of " + config.maxclients.value() + " requiring at least " + wanted
                + " max file descriptors.");
        log.warning("Server can't set maximum open files to " + wanted + " because of OS error: the JVM can raise "
                + "it to the hard limit only.");
        config.maxclients.set(Long.toString(limit - RESERVED));
        log.warning("Current maximum open files is " + limit + ". maxclients has been reduced to " + (limit - RESERVED)
                + " to compensate for low ulimit. If you need higher maxclients increase 'ulimit -n'.");
    }

    /** CONFIG SET maxclients (Redis's updateMaxclients): over the limit, refused with what would fit. */
    static void checkConfigSet(ServerConfig config) {
        long limit = openFileLimit();
        if (limit >= 0 && config.maxclients.value() + RESERVED > limit) {
            throw new IllegalArgumentException("The operating system is not able to handle the specified number of "
                    + "clients, try with " + (limit - RESERVED));
        }
    }
}
