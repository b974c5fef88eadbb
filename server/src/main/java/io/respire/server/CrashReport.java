package io.respire.server;

import io.respire.server.config.ServerConfig;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.Map;

/**
 * Redis's crash report (debug.c's sigsegvHandler, bugReportStart, bugReportEnd), for the crashes
 * a JVM can see: SIGABRT sent to the process, and DEBUG SEGFAULT. The other fatal signals
 * (SIGSEGV, SIGBUS, SIGFPE, SIGILL) belong to the JVM, which writes its own hs_err report. The
 * report has Redis's shape, so that tools and Redis's tests that look for "crashed by signal" find
 * it: the start line, the signal, the stack of every thread (Java's, in place of Redis's
 * backtrace), the end line; then the process ends with the status of a death by that signal.
 */
public final class CrashReport {
    private CrashReport() {
    }

    /**
     * SIGABRT makes the report, as Redis's handler does for it, while crash-log-enabled is yes;
     * with no, the signal's default action ends the process without one (Redis's
     * setupSignalHandlers and removeSignalHandlers, applied again by CONFIG SET).
     */
    static void installAbortHandler(ServerLog log, ServerConfig config) {
        Signal.handle(new Signal("ABRT"), config.crashLogEnabled.value() ? sig -> crash(log, config, 6) : SignalHandler.SIG_DFL);
    }

    /**
     * Writes the report for {@code signal} unless crash-log-enabled is no, and ends the process
     * (exit status 128 + signal).
     */
    public static void crash(ServerLog log, ServerConfig config, int signal) {
        if (!config.crashLogEnabled.value()) {
            Runtime.getRuntime().halt(128 + signal);
        }
        log.raw(ServerLog.WARNING, START);
        log.warning("Respire (redis_version 7.0.15) crashed by signal: " + signal + ", si_code: 0");
        logStacks(log);
        log.raw(ServerLog.WARNING, END);
        Runtime.getRuntime().halt(128 + signal);
    }

    /**
     * Redis's serverPanic, for the failures its configuration asks to stop on
     * (propagation-error-behavior): the Guru Meditation lines with {@code why}, the stacks unless
     * crash-log-enabled is no, then the end of the process, as abort() would end it, or with
     * status 1 under use-exit-on-panic.
     */
    public static void panic(ServerLog log, ServerConfig config, String why) {
        log.raw(ServerLog.WARNING, START);
        log.warning("------------------------------------------------");
        log.warning("!!! Software Failure. Press left mouse button to continue");
        log.warning("Guru Meditation: " + why);
        if (config.crashLogEnabled.value()) {
            logStacks(log);
        }
        log.raw(ServerLog.WARNING, END);
        Runtime.getRuntime().halt(config.useExitOnPanic.value() ? 1 : 128 + 6);
    }

    private static final String START = "\n\n=== RESPIRE BUG REPORT START: Cut & paste starting from here ===\n";
    private static final String END = "\n=== RESPIRE BUG REPORT END. Make sure to include from START to END. ===\n\n";

    /** Every thread's Java stack, in place of Redis's backtrace. */
    private static void logStacks(ServerLog log) {
        StringBuilder trace = new StringBuilder("\n------ STACK TRACE ------\n");
        for (Map.Entry<Thread, StackTraceElement[]> t : Thread.getAllStackTraces().entrySet()) {
            trace.append("\n\"").append(t.getKey().getName()).append("\" ").append(t.getKey().getState()).append('\n');
            for (StackTraceElement frame : t.getValue()) {
                trace.append("    at ").append(frame).append('\n');
            }
        }
        log.raw(ServerLog.WARNING, trace.append('\n').toString());
    }
}
