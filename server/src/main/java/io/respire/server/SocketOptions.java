package io.respire.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import jdk.net.ExtendedSocketOptions;

/** Options set on each accepted TCP connection, as Redis's anet sets them. */
final class SocketOptions {
    private SocketOptions() {
    }

    /**
     * Redis's anetKeepAlive, with the tcp-keepalive in force when the connection is accepted (a
     * CONFIG SET applies to later connections, as in Redis): probes after {@code seconds} idle,
     * then every third of that, the connection dropped after 3 unanswered. 0 leaves keepalive off.
     */
    static void keepAlive(Channel ch, int seconds) {
        if (seconds <= 0 || !(ch instanceof EpollSocketChannel || ch instanceof NioSocketChannel)) {
            return; // unix socket: no TCP options
        }
        ch.config().setOption(ChannelOption.SO_KEEPALIVE, true);
        int interval = Math.max(1, seconds / 3);
        if (ch instanceof EpollSocketChannel) {
            ch.config().setOption(EpollChannelOption.TCP_KEEPIDLE, seconds);
            ch.config().setOption(EpollChannelOption.TCP_KEEPINTVL, interval);
            ch.config().setOption(EpollChannelOption.TCP_KEEPCNT, 3);
        } else {
            ch.config().setOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), seconds);
            ch.config().setOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), interval);
            ch.config().setOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), 3);
        }
    }
}
