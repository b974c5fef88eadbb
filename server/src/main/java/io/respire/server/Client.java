package io.respire.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.respire.ds.keyspace.Database;
import io.respire.protocol.Reply;
import io.respire.protocol.RespReplyWriter;
import io.respire.server.command.CommandSpec;

import java.nio.charset.StandardCharsets;

/**
 * One connection's state, Redis's {@code client} struct: the request being run, the selected
 * database, the protocol version, identity and flags. Touched only on the executor thread.
 * Replies accumulate in an output buffer that the connection flushes once per batch of requests.
 */
public final class Client {
    private final ServerContext server;
    private final Channel channel;
    private final long id;
    private final long createdMs;
    private final RespReplyWriter reply = new RespReplyWriter(null);

    private byte[][] argv;
    private CommandSpec command;
    private CommandSpec lastCommand;
    private Database db;
    private String name;
    private String libName = "";
    private String libVersion = "";
    private boolean authenticated;
    private String user = "default";
    private boolean closeAfterReply;
    private long lastInteractionMs;

    Client(ServerContext server, Channel channel, long id) {
        this.server = server;
        this.channel = channel;
        this.id = id;
        this.createdMs = server.clock().millis();
        this.lastInteractionMs = createdMs;
        this.db = server.database(0);
        this.authenticated = !server.config().authRequired();
    }

    public ServerContext server() {
        return server;
    }

    public Channel channel() {
        return channel;
    }

    public long id() {
        return id;
    }

    public long createdMs() {
        return createdMs;
    }

    public long lastInteractionMs() {
        return lastInteractionMs;
    }

    void touch(long nowMs) {
        this.lastInteractionMs = nowMs;
    }

    public Reply reply() {
        return reply;
    }

    /** The protocol version chosen by HELLO (2 or 3). */
    public int protocol() {
        return reply.protocol();
    }

    public void protocol(int version) {
        reply.protocol(version);
    }

    public byte[][] argv() {
        return argv;
    }

    public int argc() {
        return argv.length;
    }

    public byte[] arg(int i) {
        return argv[i];
    }

    /** Argument {@code i} as text (ISO-8859-1, so every byte maps to one char and back). */
    public String argString(int i) {
        return new String(argv[i], StandardCharsets.ISO_8859_1);
    }

    /** Whether argument {@code i} is {@code word}, ignoring case (options such as NX, EX, WITHSCORES). */
    public boolean argIs(int i, String word) {
        byte[] a = argv[i];
        if (a.length != word.length()) {
            return false;
        }
        for (int j = 0; j < a.length; j++) {
            int b = a[j];
            if (b >= 'a' && b <= 'z') {
                b -= 32;
            }
            int w = word.charAt(j);
            if (w >= 'a' && w <= 'z') {
                w -= 32;
            }
            if (b != w) {
                return false;
            }
        }
        return true;
    }

    void request(byte[][] argv, CommandSpec command) {
        this.argv = argv;
        this.command = command;
        if (command != null) {
            this.lastCommand = command;
        }
    }

    public CommandSpec command() {
        return command;
    }

    public CommandSpec lastCommand() {
        return lastCommand;
    }

    public Database db() {
        return db;
    }

    public int dbIndex() {
        return db.id();
    }

    public void select(int index) {
        this.db = server.database(index);
    }

    public String name() {
        return name;
    }

    public void name(String name) {
        this.name = name;
    }

    public String libName() {
        return libName;
    }

    public String libVersion() {
        return libVersion;
    }

    public void libInfo(String name, String version) {
        if (name != null) {
            this.libName = name;
        }
        if (version != null) {
            this.libVersion = version;
        }
    }

    public boolean authenticated() {
        return authenticated;
    }

    public void authenticate(String user) {
        this.authenticated = true;
        this.user = user;
    }

    public void deauthenticate() {
        this.authenticated = !server.config().authRequired();
        this.user = "default";
    }

    public String user() {
        return user;
    }

    /** Whether the client must still AUTH before running commands (Redis's authRequired). */
    public boolean authRequired() {
        return !authenticated && server.config().authRequired();
    }

    /** Closes the connection once the replies written so far are sent (QUIT, protocol errors). */
    public void closeAfterReply() {
        this.closeAfterReply = true;
    }

    public boolean closingAfterReply() {
        return closeAfterReply;
    }

    /** Points the reply writer at the buffer of the current output batch. */
    void replyTarget(ByteBuf buffer) {
        reply.target(buffer);
    }

    ByteBuf replyTarget() {
        return reply.target();
    }

    public String address() {
        return addressOf(channel.remoteAddress());
    }

    public String localAddress() {
        return addressOf(channel.localAddress());
    }

    private static String addressOf(java.net.SocketAddress address) {
        if (address instanceof java.net.InetSocketAddress inet) {
            return inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
