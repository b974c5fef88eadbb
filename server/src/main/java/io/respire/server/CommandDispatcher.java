package io.respire.server;

import io.respire.protocol.InlineSplitter;
import io.respire.scripting.ScriptRun;
import io.respire.server.acl.Acl;
import io.respire.server.command.CommandFlag;
import io.respire.server.command.CommandId;
import io.respire.server.command.CommandSpec;
import io.respire.server.command.CommandStats;
import io.respire.server.keyspace.Keys;
import io.respire.server.tracking.Tracking;
import io.respire.server.observability.Redaction;
import io.respire.server.replication.Propagation;

import java.nio.charset.StandardCharsets;

/**
 * Redis's processCommand and call: every rule that applies to all commands lives here once, in
 * Redis's order: look up, arity, protected commands, authentication, ACL, client pause, then run the
 * handler and account for it (command and error statistics, MONITOR, CLIENT REPLY). Commands
 * themselves only parse their arguments and do their work.
 */
public final class CommandDispatcher {
    /** What became of a request. */
    public enum Outcome {
        /** It ran (or was refused, or queued in MULTI): its reply is written. */
        DONE,
        /** It waits: the client is blocked (CLIENT PAUSE) and the request runs again once unblocked. */
        WAIT,
        /**
         * It runs scripts, which may serve other clients while they run, so it must run outside
         * the event loop's reading of sockets: run it again from a task.
         */
        RUN_OUTSIDE_IO
    }

    private final ServerContext server;

    public CommandDispatcher(ServerContext server) {
        this.server = server;
        server.dispatcher(this);
    }

    /**
     * Runs one request for {@code c}, writing its reply to the client's output. {@code insideIo}
     * says whether the event loop is reading sockets right now, where a script must not run.
     */
    public Outcome process(Client c, byte[][] argv, boolean insideIo) {
        // CLIENT REPLY OFF/SKIP: note where this command's reply starts, to drop it afterwards. A
        // replication link must not get one at all (checked below).
        boolean replicaLink = c.replicaLink();
        boolean mayDrop = c.repliesSilenced() || replicaLink;
        if (mayDrop) {
            c.markDroppableReplies();
        }
        Tracking tracking = server.tracking();
        if (tracking.trackingClients() > 0) {
            tracking.limitTable(); // Redis's processCommand keeps the table within its limit first
        }
        server.currentClient(c);
        Outcome outcome;
        try {
            outcome = dispatch(c, argv, insideIo);
        } finally {
            server.currentClient(null);
        }
        if (outcome != Outcome.DONE) {
            c.endDroppableReplies(false);
            return outcome;
        }
        if (replicaLink && c.repliedSinceMark()) {
            replicaReplied(c);
            return Outcome.DONE;
        }
        tracking.afterCommand(c, c.command());
        boolean silence = (mayDrop || c.repliesSilenced()) && c.silenceAfterCommand();
        c.endDroppableReplies(silence && mayDrop);
        c.writeOffset(server.replication().offset()); // what a WAIT after this command waits for
        // After the whole command (a MULTI/EXEC, a script), serve clients blocked on keys it filled;
        // not while a script that runs long lets others in: it has not finished.
        if (!server.scripting().timedOut()) {
            server.blockingKeys().serveReady();
        }
        return Outcome.DONE;
    }

    /**
     * A command that came over a replication link wrote a reply: the link carries the stream and
     * nothing else, so the reply is dropped and the connection closed (Redis's
     * logInvalidUseAndFreeClientAsync from _addReplyToBufferOrList and addReplyDeferredLen).
     */
    private void replicaReplied(Client c) {
        c.endDroppableReplies(true);
        CommandSpec cmd = c.command();
        server.log().warning("Replica generated a reply to command '" + (cmd != null ? cmd.fullName() : "<unknown>")
                + "', disconnecting it: " + io.respire.server.commands.ClientInfo.line(c, null));
        c.close();
    }

    private Outcome dispatch(Client c, byte[][] argv, boolean insideIo) {
        boolean timed = server.commandStarted();
        try {
            return dispatchAtCommandTime(c, argv, insideIo);
        } finally {
            if (timed) {
                server.commandEnded();
            }
        }
    }

    private Outcome dispatchAtCommandTime(Client c, byte[][] argv, boolean insideIo) {
        c.touch(server.nowMs());
        if (isHttpProbe(argv[0])) {
            // Redis's securityWarningCommand: a browser or SSRF attack talking HTTP; drop it silently.
            c.closeAfterReply();
            return Outcome.DONE;
        }
        CommandSpec cmd = server.commands().lookup(argv);
        c.request(argv, cmd);
        String rejection = check(c, cmd, argv);
        if (rejection != null) {
            if (cmd != null) {
                cmd.stats().rejectedCalls++;
            }
            reject(c, cmd, rejection);
            return Outcome.DONE;
        }
        if (!server.evictBeforeCommand(c)) {
            return Outcome.DONE; // evicted for its memory: the command does not run (Redis's C_ERR)
        }
        long writeFlags = CommandFlag.WRITE.bit | CommandFlag.MAY_REPLICATE.bit;
        long flags = server.scripting().commandFlags(c, cmd, argv); // a script's or function's own, for EVAL and FCALL
        boolean writes = has(c, cmd, flags, writeFlags);
        // Replicas are never paused; a MONITOR counts as one (it was rejected above if it touches keys).
        if (!c.monitor() && server.pauseHolds(writes)) {
            server.postpone(c);
            return Outcome.WAIT;
        }
        if (c.multi().active() && !runsInMulti(cmd)) {
            c.multi().queue(argv, cmd, flags);
            c.reply().simple("QUEUED");
            return Outcome.DONE;
        }
        if (insideIo && runsScripts(c, cmd)) {
            return Outcome.RUN_OUTSIDE_IO;
        }
        call(c, cmd);
        return Outcome.DONE;
    }

    /** Whether the command's flags (a script's own for EVAL and FCALL), or EXEC's queue, have any of {@code bits}. */
    private static boolean has(Client c, CommandSpec cmd, long flags, long bits) {
        return (flags & bits) != 0 || (cmd.id() == CommandId.EXEC && c.multi().anyQueuedHas(bits));
    }

    /** EVAL_RO and FCALL_RO: read-only, but what they read is tracked per command they run. */
    private static boolean readsScriptKeysOnly(CommandSpec cmd) {
        return switch (cmd.id()) {
            case CommandId.EVAL_RO, CommandId.EVALSHA_RO, CommandId.FCALL_RO -> true;
            default -> false;
        };
    }

    /** What a RESP2 connection in subscribed mode may still run (RESP3 has no such limit). */
    private static boolean allowedWhenSubscribed(CommandSpec cmd) {
        return switch (cmd.id()) {
            case CommandId.PING, CommandId.SUBSCRIBE, CommandId.SSUBSCRIBE, CommandId.UNSUBSCRIBE,
                    CommandId.SUNSUBSCRIBE, CommandId.PSUBSCRIBE, CommandId.PUNSUBSCRIBE, CommandId.QUIT,
                    CommandId.RESET -> true;
            default -> false;
        };
    }

    /** The commands that run, rather than being queued, between MULTI and EXEC. */
    private static boolean runsInMulti(CommandSpec cmd) {
        return switch (cmd.id()) {
            case CommandId.EXEC, CommandId.DISCARD, CommandId.MULTI, CommandId.WATCH, CommandId.QUIT, CommandId.RESET -> true;
            default -> false;
        };
    }

    /** Whether running {@code cmd} now runs a script or function (directly, or as part of EXEC). */
    private static boolean runsScripts(Client c, CommandSpec cmd) {
        if (cmd.id() == CommandId.EXEC) {
            for (var queued : c.multi().queued()) {
                if (isScript(queued.cmd())) {
                    return true;
                }
            }
            return false;
        }
        return isScript(cmd);
    }

    private static boolean isScript(CommandSpec cmd) {
        return switch (cmd.id()) {
            case CommandId.EVAL, CommandId.EVALSHA, CommandId.EVAL_RO, CommandId.EVALSHA_RO,
                    CommandId.FCALL, CommandId.FCALL_RO -> true;
            default -> false;
        };
    }

    /**
     * Redis's rejectCommand: the error reply, which also dooms the transaction being queued; a
     * refused EXEC discards its transaction, with the reason in an EXECABORT error.
     */
    private void reject(Client c, CommandSpec cmd, String error) {
        c.multi().flagError();
        if (cmd == null || cmd.id() != CommandId.EXEC) {
            c.reply().error(error);
            return;
        }
        c.discardTransaction();
        // Redis's own texts here have no "ERR " (they are formatted, not shared error objects).
        String reason = error.startsWith("ERR ") ? error.substring(4) : error;
        c.reply().error("EXECABORT Transaction discarded because of: " + reason);
        if (!server.monitors().isEmpty()) {
            feedMonitors(c, cmd); // the monitors saw MULTI: show that the transaction is over
        }
    }

    /**
     * Runs an already-checked command and accounts for it (Redis's call): calls, time and failures
     * per command, the MONITOR feed, and the propagation of its effects. Also the entry point for
     * EXEC and scripts.
     */
    public void call(Client c, CommandSpec cmd) {
        call(c, cmd, Propagation.ALL);
    }

    /**
     * As {@link #call(Client, CommandSpec)}; {@code targets} limits where the command's own
     * arguments may be propagated (a script's redis.set_repl: Redis's CMD_CALL_PROPAGATE_*).
     */
    private void call(Client c, CommandSpec cmd, int targets) {
        Stats stats = server.stats();
        stats.errorRepliesAccounted = stats.totalErrorReplies;
        byte[][] argv = c.argv(); // as called: the slow log shows these, whatever the handler does
        Propagation propagation = server.propagation();
        boolean propagating = propagation.active();
        byte[][] outerPropagateArgv = c.propagateArgv();
        int outerPropagateFlags = c.propagateFlags();
        if (propagating) {
            c.propagationState(null, 0);
            if (!propagation.inCall()) {
                propagation.flush(true); // ops left by work outside any call (a lazy expiry) go first, alone
            }
        }
        long dirtyBefore = server.dirty();
        long start = System.nanoTime();
        propagation.enter();
        try {
            Keys.beforeCommand(c, cmd, argv);
            cmd.handler().execute(c);
        } catch (CommandError e) {
            c.reply().error(e.getMessage());
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError | LinkageError e) {
            // A bug, or one reply too large for the heap, must cost one error reply, never the
            // connection or the server (what the command allocated is garbage by now). The text
            // names the failure so that a report can be traced. A LinkageError is a class that
            // could not be loaded, as when the jar is rebuilt under a running server: it used to
            // close the connection without a word (SHUTDOWN then seemed to do nothing).
            server.log().warning("Unexpected failure running " + cmd.fullName() + ": " + e);
            c.reply().error("ERR internal error running '" + cmd.fullName() + "': " + e.getClass().getSimpleName());
        } finally {
            propagation.exit();
        }
        long nanos = System.nanoTime() - start;
        if (cmd.has(CommandFlag.READONLY) && !readsScriptKeysOnly(cmd)) {
            // Keys a tracking client read may now be in its cache. A script that reads tracks the keys
            // its caller declared, as Redis does, not those of the command it ran.
            Client caller = c.detached() ? server.scripting().caller() : c;
            if (caller != null && caller.tracking() != null) {
                server.tracking().afterRead(caller, caller.command(), caller.argv());
            }
        }
        CommandStats counters = cmd.stats();
        counters.calls++;
        counters.microseconds += nanos / 1000;
        // Only errors since the last call ended count: EXEC or EVAL does not fail because a
        // command it ran did (Redis's incrCommandStatsOnError and its prev_err_count).
        if (stats.totalErrorReplies != stats.errorRepliesAccounted) {
            counters.failedCalls++;
        }
        stats.errorRepliesAccounted = stats.totalErrorReplies;
        stats.totalCommandsProcessed++;
        server.observability().called(c, cmd, argv, nanos);
        if (!server.monitors().isEmpty() && !cmd.has(CommandFlag.SKIP_MONITOR) && !cmd.has(CommandFlag.ADMIN)) {
            feedMonitors(c, cmd);
        }
        if (propagating) {
            // Only a rise counts: SAVE and DEBUG LOADAOF lower the counter and are never propagated.
            propagateCall(c, cmd, server.dirty() > dirtyBefore, targets);
            c.propagationState(outerPropagateArgv, outerPropagateFlags);
        }
        afterCommand(cmd);
    }

    /**
     * The part of Redis's call that propagates the command itself: if it changed the dataset (or
     * forced propagation) and did not prevent it, its arguments, or what it rewrote them to, become
     * an op. EXEC is never propagated: its commands were, one by one.
     */
    private void propagateCall(Client c, CommandSpec cmd, boolean changed, int targets) {
        int flags = c.propagateFlags();
        if ((flags & Client.PREVENT_PROPAGATION) != 0 || cmd.id() == CommandId.EXEC) {
            return;
        }
        int forced = (flags >> 1) & Propagation.ALL; // Client.FORCE_AOF / FORCE_REPL
        int target = ((changed ? Propagation.ALL : 0) | forced) & targets;
        if (target != 0) {
            byte[][] argv = c.propagateArgv() != null ? c.propagateArgv() : c.argv();
            server.propagation().alsoPropagate(c.dbIndex(), target, argv);
        }
    }

    /**
     * Redis's afterCommand: when the outermost call ends, its effects are emitted, wrapped in
     * MULTI/EXEC if several, except for a command that touches arbitrary keys run directly (its
     * lazily expired keys are independent DELs).
     */
    public void afterCommand(CommandSpec cmd) {
        Propagation propagation = server.propagation();
        if (!propagation.inCall()) {
            propagation.flush(cmd != null && cmd.has(CommandFlag.TOUCHES_ARBITRARY_KEYS));
        }
    }

    /**
     * Runs a command read from an AOF as Redis's loadSingleAppendOnlyFile does: with no checks,
     * queued instead while the client is inside MULTI (EXEC then runs the transaction).
     */
    public void replay(Client c, byte[][] argv, CommandSpec cmd) {
        c.request(argv, cmd);
        if (c.multi().active() && cmd.id() != CommandId.EXEC) {
            c.multi().queue(argv, cmd, cmd.flags());
        } else {
            call(c, cmd);
        }
    }

    /**
     * Runs {@code argv} (already looked up as {@code cmd} and checked) as the client's current
     * command, then makes the client's own command current again: for EXEC's queued commands and
     * scripts.
     */
    public void execute(Client c, byte[][] argv, CommandSpec cmd) {
        execute(c, argv, cmd, Propagation.ALL);
    }

    /** As {@link #execute(Client, byte[][], CommandSpec)}, propagating the command only to {@code targets}. */
    public void execute(Client c, byte[][] argv, CommandSpec cmd, int targets) {
        byte[][] outerArgv = c.argv();
        CommandSpec outerCmd = c.command();
        c.request(argv, cmd);
        try {
            call(c, cmd, targets);
        } finally {
            c.request(outerArgv, outerCmd);
        }
    }

    /**
     * The one check point of every command (Redis's processCommand checks, and scriptCall's for a
     * command a script calls): why {@code cmd} may not run now for {@code c}, as Redis's error
     * text, or null if it may.
     */
    public String check(Client c, CommandSpec cmd, byte[][] argv) {
        if (c.detached()) {
            return checkFromScript(c, cmd, argv);
        }
        if (cmd == null || (!cmd.implemented() && !cmd.isContainer())) {
            return unknownCommand(argv, cmd);
        }
        if (!cmd.implemented()) {
            // A container (CLIENT, CONFIG...) named alone: Redis checks its arity (-2) first.
            return cmd.arityAccepts(argv.length) ? unknownCommand(argv, null) : Errors.wrongArity(cmd.fullName());
        }
        if (!cmd.arityAccepts(argv.length)) {
            return Errors.wrongArity(cmd.fullName());
        }
        if (cmd.has(CommandFlag.PROTECTED)) {
            String refusal = protectedRefusal(cmd, c);
            if (refusal != null) {
                return refusal;
            }
        }
        if (c.authRequired() && !cmd.has(CommandFlag.NO_AUTH)) {
            return Errors.NOAUTH;
        }
        if (c.multi().active() && cmd.has(CommandFlag.NO_MULTI)) {
            return "ERR Command not allowed inside a transaction";
        }
        if (c.master()) {
            obeyOnFailingDisk(cmd);
            return null; // the primary's stream is obeyed (Redis's mustObeyClient): no ACL, no refusal
        }
        if (!c.user().unrestricted()) {
            Acl.Denial denial = aclDenial(c, cmd, argv, c.multi().active() ? "multi" : "toplevel");
            if (denial != null) {
                return switch (denial.reason()) {
                    case COMMAND -> "NOPERM this user has no permissions to run the '" + cmd.fullName() + "' command";
                    case KEY -> "NOPERM this user has no permissions to access one of the keys used as arguments";
                    default -> "NOPERM this user has no permissions to access one of the channels used as arguments";
                };
            }
        }
        if (server.config().maxmemory.value() != 0 && !server.scripting().timedOut() && outOfMemory(c, cmd, argv)) {
            return Errors.OOM;
        }
        String replicaRefusal = replicaRefusal(c, cmd, argv);
        if (replicaRefusal != null) {
            return replicaRefusal;
        }
        if (c.subscribed() && c.protocol() == 2 && !allowedWhenSubscribed(cmd)) {
            return "ERR Can't execute '" + cmd.fullName() + "': only (P|S)SUBSCRIBE / "
                    + "(P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context";
        }
        if (loadingRefuses(cmd)) {
            return "LOADING Redis is loading the dataset in memory";
        }
        String busy = server.scripting().busyRejection(cmd);
        if (busy != null) {
            return busy;
        }
        // Redis's writeCommandsDeniedByDiskError: writes (and PING) fail while saves fail.
        String diskError = diskError();
        if (diskError != null && (cmd.id() == CommandId.PING
                || has(c, cmd, server.scripting().commandFlags(c, cmd, argv), CommandFlag.WRITE.bit))) {
            return diskError;
        }
        if ((c.monitor() || c.replicaLink()) && (cmd.has(CommandFlag.READONLY) || cmd.has(CommandFlag.WRITE)
                || cmd.has(CommandFlag.MAY_REPLICATE))) {
            return "ERR Replica can't interact with the keyspace";
        }
        return null;
    }

    /**
     * The maxmemory part of Redis's processCommand: evicts what the policy allows (see
     * {@link io.respire.server.keyspace.Eviction}, which emits the evicted keys' DELs), and says whether
     * the command must be refused: when still over the limit, for a command that may grow the data
     * (denyoom, including a script's own flags and EXEC's queue) or any command queued in a
     * transaction. The verdict is kept for the scripts this command may run (Redis's
     * pre_command_oom_state).
     */
    private boolean outOfMemory(Client c, CommandSpec cmd, byte[][] argv) {
        boolean oom = server.eviction().perform() == io.respire.server.keyspace.Eviction.Result.FAIL;
        if (oom && refusedOnOom(c, cmd, argv)) {
            return true;
        }
        server.scripting().preCommandOom(oom);
        return false;
    }

    /** Whether a command is refused over maxmemory: denyoom, or anything but EXEC, DISCARD, QUIT and RESET in MULTI. */
    private boolean refusedOnOom(Client c, CommandSpec cmd, byte[][] argv) {
        if (c.multi().active() && switch (cmd.id()) {
            case CommandId.EXEC, CommandId.DISCARD, CommandId.QUIT, CommandId.RESET -> false;
            default -> true;
        }) {
            return true;
        }
        return has(c, cmd, server.scripting().commandFlags(c, cmd, argv), CommandFlag.DENYOOM.bit);
    }

    /**
     * What replication refuses (Redis's processCommand): writes on a primary without enough good
     * replicas (min-replicas-to-write); on a replica, writes when replica-read-only, and, while the
     * link is down and replica-serve-stale-data is no, every command not flagged stale.
     */
    private String replicaRefusal(Client c, CommandSpec cmd, byte[][] argv) {
        var link = server.masterLink();
        if (!link.active() && server.config().minReplicasToWrite.value() == 0) {
            return null; // the usual case, at the cost of two field reads
        }
        long flags = server.scripting().commandFlags(c, cmd, argv);
        boolean writes = has(c, cmd, flags, CommandFlag.WRITE.bit);
        if (writes && !server.replication().enoughGoodReplicas()) {
            return Errors.NOREPLICAS;
        }
        if (!link.active()) {
            return null;
        }
        if (server.config().replicaReadOnly.value() && writes) {
            return Errors.READONLY_REPLICA;
        }
        if (servesNoStaleData() && deniedWhenStale(c, cmd, flags)) {
            return Errors.MASTERDOWN;
        }
        return null;
    }

    /** A replica whose link is down with replica-serve-stale-data no: only stale-flagged commands run. */
    public boolean servesNoStaleData() {
        var link = server.masterLink();
        return link.active() && !link.linkUp() && !server.config().replicaServeStaleData.value();
    }

    /**
     * Whether a stale replica refuses the command: it is not flagged stale, or it is an EXEC with a
     * queued command that is not (the link may have gone down after that command was queued).
     */
    private static boolean deniedWhenStale(Client c, CommandSpec cmd, long flags) {
        return (flags & CommandFlag.STALE.bit) == 0
                || (cmd.id() == CommandId.EXEC && c.multi().anyQueuedLacks(CommandFlag.STALE.bit));
    }

    /**
     * Redis's scriptCall checks, for a command that a script calls: it exists with this arity, it
     * may run from scripts, and it does not write from a read-only script.
     */
    private String checkFromScript(Client c, CommandSpec cmd, byte[][] argv) {
        if (cmd == null) {
            return "ERR Unknown Redis command called from script";
        }
        if (!cmd.arityAccepts(argv.length)) {
            return "ERR Wrong number of args calling Redis command from script";
        }
        // Before "implemented": a command scripts may never call is refused as Redis refuses it.
        if (cmd.has(CommandFlag.NOSCRIPT) && !server.scripting().denyScriptDisabled()) {
            return "ERR This Redis command is not allowed from script";
        }
        if (!cmd.implemented()) {
            return "ERR Unknown Redis command called from script";
        }
        // Redis's scriptVerifyAllowStale: an allow-stale script still may not call others.
        if (servesNoStaleData() && !cmd.has(CommandFlag.STALE)) {
            return "ERR Can not execute the command on a stale replica";
        }
        // Redis's scriptVerifyACL: the script's client runs as the script's caller.
        Acl.Denial denial = c.user().unrestricted() ? null : aclDenial(c, cmd, argv, "lua");
        if (denial != null) {
            return "ERR The user executing the script " + switch (denial.reason()) {
                case COMMAND -> "can't run this command or subcommand";
                case KEY -> "can't access at least one of the keys mentioned in the command arguments";
                default -> "can't publish to the channel mentioned in the command";
            };
        }
        if (server.scripting().runningReadOnly()
                && (cmd.has(CommandFlag.WRITE) || cmd.has(CommandFlag.MAY_REPLICATE))) {
            return "ERR Write commands are not allowed from read-only scripts.";
        }
        // Redis's scriptVerifyWriteCommandAllow: a read-only replica refuses a script's writes,
        // then a failing disk, then too few good replicas; not once the script has written, as it
        // cannot be failed halfway on a state that changed while it ran.
        ScriptRun run = server.scripting().running();
        if (run != null && run.wroteData()) {
            return null; // nor does maxmemory stop it then (scriptVerifyOOM)
        }
        if (cmd.has(CommandFlag.WRITE) && server.masterLink().active() && server.config().replicaReadOnly.value()
                && !server.masterLink().isMaster(server.scripting().caller())) {
            return Errors.READONLY_REPLICA;
        }
        String diskError = cmd.has(CommandFlag.WRITE) ? diskError() : null;
        if (diskError != null) {
            return diskError;
        }
        if (cmd.has(CommandFlag.WRITE) && !server.replication().enoughGoodReplicas()) {
            return Errors.NOREPLICAS;
        }
        if (cmd.has(CommandFlag.DENYOOM) && server.scripting().oomRefuses()) {
            return Errors.OOM;
        }
        return null;
    }

    /**
     * Redis's LOADING checks: while loading, only the commands flagged loading run; while loading
     * asynchronously (a replica's swapdb load), all but those flagged no-async-loading.
     */
    private boolean loadingRefuses(CommandSpec cmd) {
        var loader = server.snapshots().loader();
        if (!loader.loading()) {
            return false;
        }
        return loader.asyncLoading() ? cmd.has(CommandFlag.NO_ASYNC_LOADING) : !cmd.has(CommandFlag.LOADING);
    }

    /**
     * Why writes are refused for a disk error (writeCommandsDeniedByDiskError and its message): the
     * last background save failed, or the last AOF write or fsync; null if they are not.
     */
    /** When the last "applying a command though unable to write to disk" line was logged. */
    private long diskErrorLoggedMs;

    /**
     * Redis's processCommand for the primary's writes while saves fail here (MISCONF): a replica
     * stops (panics) rather than keep a dataset it cannot persist, unless
     * replica-ignore-disk-write-errors, when it applies them and says so every 10 s.
     */
    private void obeyOnFailingDisk(CommandSpec cmd) {
        boolean write = cmd.has(CommandFlag.WRITE);
        if ((!write && cmd.id() != CommandId.PING) || diskError() == null) {
            return;
        }
        if (write && !server.config().replicaIgnoreDiskWriteErrors.value()) {
            CrashReport.panic(server.log(), server.config(), "Replica was unable to write command to disk.");
        }
        long now = server.nowMs();
        if (now > diskErrorLoggedMs + 10_000) {
            diskErrorLoggedMs = now;
            server.log().warning("Replica is applying a command even though it is unable to write to disk.");
        }
    }

    private String diskError() {
        return server.snapshots().writesDenied() ? Errors.MISCONF_BGSAVE : server.aof().writesDeniedError();
    }

    /**
     * The ACL check of a command line (Redis's ACLCheckAllPerm): null if the client's user may run
     * it, else the denial, which is logged (ACL LOG) with the context it happened in.
     */
    public Acl.Denial aclDenial(Client c, CommandSpec cmd, byte[][] argv, String context) {
        Acl.Denial denial = server.acl().check(c.user(), cmd, argv);
        if (denial != null) {
            String object = denial.reason() == Acl.Reason.COMMAND ? cmd.fullName() : text(argv[denial.position()]);
            server.aclDenied(c, denial.reason(), context, object, c.user().name());
        }
        return denial;
    }

    /**
     * EXEC checks each queued command again, in case the ACL changed since it was queued: the
     * error that replaces its reply, or null if it may run.
     */
    public String execAclRefusal(Client c, CommandSpec cmd, byte[][] argv) {
        if (c.user().unrestricted()) {
            return null;
        }
        Acl.Denial denial = aclDenial(c, cmd, argv, "multi");
        if (denial == null) {
            return null;
        }
        String reason = switch (denial.reason()) {
            case COMMAND -> "no permission to execute the command or subcommand";
            case KEY -> "no permission to touch the specified keys";
            default -> "no permission to access one of the channels used as arguments";
        };
        return "NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. "
                + "This command is no longer allowed for the following reason: " + reason;
    }

    /**
     * Redis's processCommand check of CMD_PROTECTED commands: DEBUG unless enable-debug-command
     * allows it, MODULE's LOAD, LOADEX and UNLOAD unless enable-module-command does; null if allowed.
     */
    private String protectedRefusal(CommandSpec cmd, Client c) {
        CommandSpec base = cmd.parent() != null ? cmd.parent() : cmd;
        String name;
        io.respire.server.config.Options.Choice setting;
        if (base.id() == CommandId.DEBUG) {
            name = "DEBUG";
            setting = server.config().enableDebugCommand;
        } else if (base.id() == CommandId.MODULE) {
            name = "MODULE";
            setting = server.config().enableModuleCommand;
        } else {
            return null;
        }
        if (allowProtected(setting.value(), c)) {
            return null;
        }
        return "ERR " + name + " command not allowed. If the " + setting.name() + " option is set to \"local\", "
                + "you can run it from a local connection, otherwise you need to set this option "
                + "in the configuration file, and then restart the server.";
    }

    /** Redis's allowProtectedAction: "yes", or "local" and the client is on this host. */
    public static boolean allowProtected(String setting, Client c) {
        return setting.equals("yes") || (setting.equals("local") && c.isLocal());
    }

    /** Redis's commandCheckExistence error texts. */
    private String unknownCommand(byte[][] argv, CommandSpec cmd) {
        CommandSpec base = server.commands().lookup(argv[0]);
        String message;
        if ((cmd == null || !cmd.implemented()) && base != null && base.isContainer() && argv.length >= 2) {
            message = Errors.unknownSubcommand(text(argv[1]), text(argv[0]));
        } else {
            StringBuilder args = new StringBuilder();
            for (int i = 1; i < argv.length && args.length() < 128; i++) {
                String arg = text(argv[i]);
                int room = 128 - args.length(); // measured before the quote, as Redis's "'%.*s' "
                args.append('\'').append(arg, 0, Math.min(arg.length(), room)).append("' ");
            }
            message = "ERR unknown command '" + Errors.truncate(text(argv[0]), 128)
                    + "', with args beginning with: " + args;
        }
        return message.replace('\r', ' ').replace('\n', ' ');
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static boolean isHttpProbe(byte[] name) {
        return equalsIgnoreCase(name, "host:") || equalsIgnoreCase(name, "post");
    }

    /** Whether {@code bytes} is the lower-case ASCII {@code word}, ignoring case (no allocation). */
    private static boolean equalsIgnoreCase(byte[] bytes, String word) {
        if (bytes.length != word.length()) {
            return false;
        }
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i];
            if ((b >= 'A' && b <= 'Z' ? b + 32 : b) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    // ---- MONITOR

    /**
     * Redis's replicationFeedMonitors: one status line per command run, "<time> [<db> <addr>]"
     * and the arguments quoted, passwords redacted as AUTH and HELLO do.
     */
    public void feedMonitors(Client c, CommandSpec cmd) {
        if (server.monitors().isEmpty()) {
            return;
        }
        java.time.Instant now = server.clock().instant();
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
        StringBuilder line = new StringBuilder(64);
        line.append(micros / 1_000_000).append('.');
        String fraction = Long.toString(micros % 1_000_000);
        line.append("000000", 0, 6 - fraction.length()).append(fraction);
        line.append(" [").append(c.dbIndex()).append(' ').append(c.detached() ? "lua" : c.address()).append("] ");
        byte[][] argv = c.argv();
        for (int i = 0; i < argv.length; i++) {
            if (i > 0) {
                line.append(' ');
            }
            if (Redaction.redacted(server.config(), cmd, argv, i)) {
                line.append("\"(redacted)\"");
            } else {
                InlineSplitter.repr(line, argv[i], 0, argv[i].length);
            }
        }
        String text = line.toString();
        for (Client monitor : server.monitors()) {
            if (!monitor.closed()) {
                monitor.reply().simple(text);
            }
        }
    }
}
