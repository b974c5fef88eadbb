package io.respire.server.persistence;

import io.respire.server.ServerContext;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.IntConsumer;

/**
 * Stand-ins for Redis's fork children. Respire saves and rewrites on threads of its own, without
 * fork; but operators and Redis's tests cancel a BGSAVE or an AOF rewrite by killing its child
 * ({@code kill -9 $(pgrep -P <server pid>)}), and watch total_forks. So each background job runs
 * with a real child process ({@code cat} reading a pipe from the server, doing nothing else):
 * its pid is the job's, and its death by a signal before the job ends cancels the job as the
 * child's death does in Redis (checkChildrenDone). The pipe's end makes it exit when the server
 * ends, however it ends. Without a {@code cat} to start, a job runs without a child.
 */
public final class ChildProcesses {
    /** Exit status of a child killed by a signal, as the JDK reports it (0x80 + signal). */
    private static final int SIGNALLED = 0x80;

    private final ServerContext server;
    /** The children alive, ended when the server closes (an embedding JVM keeps their pipes open). */
    private final Set<Process> alive = ConcurrentHashMap.newKeySet();
    private long started;
    private boolean warned;

    public ChildProcesses(ServerContext server) {
        this.server = server;
    }

    /** One job's child: {@link #end()} it when the job ends, whatever the outcome. */
    public final class Child {
        private final Process process;
        private boolean ended;

        private Child(Process process) {
            this.process = process;
        }

        /** The child's pid, or the server's when there is no child. */
        public long pid() {
            return process != null ? process.pid() : ProcessHandle.current().pid();
        }

        /** The job is over: the child exits, and its exit no longer means anything. On the executor. */
        public void end() {
            ended = true;
            if (process != null) {
                process.destroyForcibly();
                alive.remove(process);
            }
        }
    }

    /**
     * Starts the child of a job, on the executor. {@code killed} runs on the executor with the
     * signal's number if the child dies by a signal before {@link Child#end()}.
     */
    public Child start(IntConsumer killed) {
        started++;
        Process process;
        try {
            process = new ProcessBuilder("cat").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException | UnsupportedOperationException e) {
            if (!warned) {
                warned = true;
                server.log().warning("Can't start the child process of background jobs (" + e.getMessage()
                        + "): they run without one, and can't be stopped by killing it");
            }
            return new Child(null);
        }
        alive.add(process);
        Child child = new Child(process);
        process.onExit().thenRun(() -> {
            alive.remove(process);
            try {
                server.executor().execute(() -> exited(child, killed));
            } catch (RejectedExecutionException closing) {
                // the server is closing: its jobs are abandoned anyway
            }
        });
        return child;
    }

    private static void exited(Child child, IntConsumer killed) {
        int status = child.process.exitValue();
        if (!child.ended && status > SIGNALLED) {
            child.ended = true;
            killed.accept(status - SIGNALLED);
        }
    }

    /** The server closes: every child exits. From any thread. */
    public void endAll() {
        alive.forEach(Process::destroyForcibly);
    }

    /** total_forks: the children started since the server started. */
    public long started() {
        return started;
    }
}
