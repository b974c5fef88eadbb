package io.respire.server.metrics;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.respire.server.ServerContext;
import io.respire.server.acl.User;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Function;

/**
 * The HTTP side of {@code metrics-port} (a Respire option; Redis has no such thing): {@code GET
 * /metrics} answers the Prometheus text of INFO everything ({@link PrometheusText}).
 *
 * <p>The figures are gathered by a task on the executor, which owns the data, never read from this
 * I/O thread; the response is written when that task completes, so the event loop never waits.
 * The endpoint is guarded as the RESP port is: protected mode refuses non-loopback peers while the
 * default user has no password (403), and when clients must authenticate, HTTP Basic credentials
 * of an ACL user allowed to run INFO are required (401 otherwise).
 */
public final class MetricsEndpoint extends SimpleChannelInboundHandler<FullHttpRequest> {
    /** Requests larger than this are refused by the aggregator in front of this handler. */
    public static final int MAX_REQUEST_BYTES = 16 * 1024;

    private final ServerContext server;
    /** Builds the INFO text; runs on the executor. */
    private final Function<ServerContext, String> info;

    public MetricsEndpoint(ServerContext server, Function<ServerContext, String> info) {
        this.server = server;
        this.info = info;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!new QueryStringDecoder(request.uri()).path().equals("/metrics")) {
            respond(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, "Not found: the metrics are at /metrics\n");
            return;
        }
        if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
            respond(ctx, keepAlive, HttpResponseStatus.METHOD_NOT_ALLOWED, "Only GET\n");
            return;
        }
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        server.executor().submit(() -> admit(ctx, authorization)).addListener(f -> {
            if (!f.isSuccess()) {
                respond(ctx, false, HttpResponseStatus.INTERNAL_SERVER_ERROR, "Error: " + f.cause() + "\n");
                return;
            }
            Object outcome = f.getNow();
            if (outcome instanceof HttpResponseStatus refused) {
                respond(ctx, keepAlive, refused, refused == HttpResponseStatus.FORBIDDEN
                        ? "DENIED Redis is running in protected mode: metrics are served to the loopback interface only\n"
                        : "Authentication required: HTTP Basic with an ACL user allowed to run INFO\n");
            } else {
                respond(ctx, keepAlive, HttpResponseStatus.OK, PrometheusText.fromInfo((String) outcome));
            }
        });
    }

    /** On the executor: the INFO text, or why the peer is refused. */
    private Object admit(ChannelHandlerContext ctx, String authorization) {
        if (server.config().protectedMode.value() && server.acl().defaultUser().nopass()
                && !ServerContext.isLoopback(ctx.channel().remoteAddress())) {
            return HttpResponseStatus.FORBIDDEN;
        }
        if (server.acl().authRequired() && !authorized(authorization)) {
            return HttpResponseStatus.UNAUTHORIZED;
        }
        return info.apply(server);
    }

    private boolean authorized(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String credentials;
        try {
            credentials = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = credentials.indexOf(':');
        if (colon < 0) {
            return false;
        }
        User user = server.acl().authenticate(credentials.substring(0, colon), credentials.substring(colon + 1));
        byte[][] argv = {"INFO".getBytes(StandardCharsets.US_ASCII), "everything".getBytes(StandardCharsets.US_ASCII)};
        return user != null && server.acl().check(user, server.commands().originalSpec("info"), argv) == null;
    }

    private static void respond(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, String body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, status == HttpResponseStatus.OK
                ? "text/plain; version=0.0.4; charset=utf-8" : "text/plain; charset=utf-8");
        if (status == HttpResponseStatus.UNAUTHORIZED) {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"respire\"");
        }
        HttpUtil.setContentLength(response, response.content().readableBytes());
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
