package io.respire.server.command;

import io.respire.server.Client;

/** A command's implementation: reads {@code c.argv()}, works on the data, writes to {@code c.reply()}. */
@FunctionalInterface
public interface CommandHandler {
    void execute(Client c);
}
