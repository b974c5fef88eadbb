package io.respire.server.commands;

/** What the server says it is: Redis's version, so that clients enable Redis 7 features. */
public final class ServerInfo {
    private ServerInfo() {
    }

    public static final String REDIS_VERSION = "7.0.15";
    public static final String RESPIRE_VERSION = "0.1.0";
}
