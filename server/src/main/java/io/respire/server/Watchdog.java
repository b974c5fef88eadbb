package io.respire.server;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Redis's software watchdog (watchdog-period, debug.c): every cron tick arms a timer of
 * watchdog-period ms; when the executor has not come back to re-arm it in time, because a command,
 * a script or a load holds it, the stack it is stuck in is logged once, as Redis's SIGALRM handler
 * logs its backtrace:
 *
 * <pre>
 * pid:signal-handler (time)
 * --- WATCHDOG TIMER EXPIRED ---
 * Backtrace:
 *     at ...   (the executor thread's Java stack)
 * pid:signal-handler (time) --------
 * </pre>
 *
 * <p>A thread of its own does the waiting (Redis's timer signal), started when the setting is
 * first non-zero and ended when it is zero again.
 */
final class Watchdog {
    private final ServerContext server;
    /** When the armed timer expires (System.nanoTime), or 0 when disarmed. */
    private volatile long deadlineNanos;
    /** The thread the timer watches: the one that armed it, the executor's. */
    private volatile Thread watched;
    /** The waiting thread; touched only by the executor. */
    private Thread timer;

    Watchdog(ServerContext server) {
        this.server = server;
    }

    /**
     * CONFIG SET watchdog-period (Redis's applyWatchdogPeriod): a period under two cron ticks is
     * too short to work and is raised to that, as Redis does.
     */
    void periodChanged() {
        long period = server.config().watchdogPeriod.value();
        long min = 2 * (1000 / server.hz());
        if (period != 0 && period < min) {
            server.config().watchdogPeriod.set(Long.toString(min));
        }
        arm();
    }

    /** From the cron, on the executor: the timer runs watchdog-period ms from now (0: stopped). */
    void arm() {
        long period = server.config().watchdogPeriod.value();
        if (period == 0) {
            deadlineNanos = 0;
            return;
        }
        watched = Thread.currentThread();
        deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(period);
        if (timer == null || !timer.isAlive()) {
            timer = new Thread(this::waitForExpiry, "respire-watchdog");
            timer.setDaemon(true);
            timer.start();
        }
        LockSupport.unpark(timer); // it may be waiting for a later deadline than this one
    }

    /** The timer thread: sleeps to the deadline; an expired one that was not re-armed is reported once. */
    private void waitForExpiry() {
        long reported = 0;
        while (true) {
            long deadline = deadlineNanos;
            if (deadline == 0) {
                return; // stopped; the next arm starts a new thread
            }
            long left = deadline - System.nanoTime();
            if (left > 0) {
                LockSupport.parkNanos(this, left);
            } else if (deadline != reported) {
                reported = deadline;
                report(watched);
            } else {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(10)); // until re-armed
            }
        }
    }

    private void report(Thread stuck) {
        ServerLog log = server.log();
        log.fromSignalHandler(ServerLog.WARNING, "\n--- WATCHDOG TIMER EXPIRED ---");
        StringBuilder trace = new StringBuilder("Backtrace:\n");
        if (stuck != null) {
            for (StackTraceElement frame : stuck.getStackTrace()) {
                trace.append("    at ").append(frame).append('\n');
            }
        }
        log.raw(ServerLog.WARNING, trace.toString());
        log.fromSignalHandler(ServerLog.WARNING, "--------\n");
    }
}
