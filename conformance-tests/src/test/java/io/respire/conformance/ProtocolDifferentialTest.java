package io.respire.conformance;

import java.util.ArrayList;
import java.util.List;

/**
 * The request parser (protocol module's RespDecoder, Redis's processInlineBuffer and
 * processMultibulkBuffer): inline commands and their quoting, pipelines, fragmented requests, and
 * every protocol error, which Redis answers with one error and then closes the connection.
 */
class ProtocolDifferentialTest {
    private static final int INLINE_MAX = 64 * 1024;

    // ---- malformed multibulk requests: one error, then the connection is closed

    @Differential
    void invalidMultibulkLength(Dual d) {
        d.checkRawThenClosed("*x\r\n", 1);
    }

    @Differential
    void multibulkLengthAboveIntMax(Dual d) {
        d.checkRawThenClosed("*2147483648\r\n", 1);
    }

    @Differential
    void invalidBulkLength(Dual d) {
        d.checkRawThenClosed("*1\r\n$x\r\n", 1);
    }

    @Differential
    void negativeBulkLength(Dual d) {
        d.checkRawThenClosed("*1\r\n$-5\r\n", 1);
    }

    @Differential
    void bulkLengthAboveProtoMaxBulkLen(Dual d) {
        d.checkRawThenClosed("*1\r\n$536870913\r\n", 1);
    }

    @Differential
    void expectedDollarGotSomethingElse(Dual d) {
        d.checkRawThenClosed("*2\r\n$3\r\nGET\r\n:1\r\n", 1);
    }

    @Differential
    void tooBigMultibulkCountString(Dual d) {
        d.checkRawThenClosed("*" + "1".repeat(INLINE_MAX + 10), 1);
    }

    @Differential
    void tooBigBulkCountString(Dual d) {
        d.checkRawThenClosed("*1\r\n$" + "1".repeat(INLINE_MAX + 10), 1);
    }

    @Differential
    void repliesBeforeTheErrorAreSent(Dual d) {
        d.checkRawThenClosed("*1\r\n$4\r\nPING\r\nECHO hi\r\n*1\r\n$4\r\nPING\r\n*y\r\n*1\r\n$4\r\nPING\r\n", 4);
    }

    // ---- malformed inline requests

    @Differential
    void unbalancedQuotesInline(Dual d) {
        d.checkRawThenClosed("SET \"k v\r\n", 1);
    }

    @Differential
    void unbalancedSingleQuotesInline(Dual d) {
        d.checkRawThenClosed("ECHO 'abc\r\n", 1);
    }

    @Differential
    void closingQuoteMustBeFollowedBySpace(Dual d) {
        d.checkRawThenClosed("ECHO \"a\"b\r\n", 1);
    }

    @Differential
    void tooBigInlineRequest(Dual d) {
        d.checkRawThenClosed("a".repeat(INLINE_MAX + 10), 1);
    }

    // ---- huge announced sizes must not be allocated up front; the server stays up

    @Differential(protocols = 2)
    void hugeAnnouncedCountsDoNotExhaustMemory(Dual d) {
        List<RespConnection> open = new ArrayList<>();
        int port = d.respirePort();
        try {
            for (int i = 0; i < 4; i++) {
                RespConnection multibulk = new RespConnection("respire", port);
                multibulk.sendRaw("*2147483647\r\n$3\r\nSET\r\n".getBytes());
                RespConnection bulk = new RespConnection("respire", port);
                bulk.sendRaw("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$536870912\r\nabc".getBytes());
                open.add(multibulk);
                open.add(bulk);
            }
            d.check("PING");
            d.check("SET", "k", "v");
            d.check("GET", "k");
        } finally {
            open.forEach(RespConnection::close);
        }
        d.check("PING");
    }

    // ---- requests that are not errors

    @Differential
    void emptyAndNonPositiveMultibulksAreIgnored(Dual d) {
        d.checkRaw("*0\r\n*-1\r\n*-10\r\n\r\n\r\n   \r\nPING\r\n", 1);
    }

    @Differential
    void inlineCommands(Dual d) {
        d.checkRaw("SET k v\r\nGET k\r\nget k\n", 3);
        d.checkRaw("  ECHO    spaced   \r\n", 1);
        d.checkRaw("ECHO\r\n", 1);
    }

    @Differential
    void inlineQuoting(Dual d) {
        d.checkRaw("SET \"a key\" 'a value'\r\nGET \"a key\"\r\n", 2);
        d.checkRaw("ECHO \"\\x41\\x42\\n\\t\\\"q\\\"\"\r\n", 1);
        d.checkRaw("ECHO 'it\\'s'\r\n", 1);
        d.checkRaw("ECHO \"\"\r\n", 1);
        d.checkRaw("ECHO \"\\xZZ\"\r\n", 1);
    }

    @Differential
    void inlineUnknownCommand(Dual d) {
        d.checkRaw("NOSUCHCOMMAND a 'b c'\r\n", 1);
    }

    @Differential
    void pipelineOfMixedCommands(Dual d) {
        List<Object[]> commands = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            commands.add(new Object[] {"SET", "key:" + i, "value" + i});
            commands.add(new Object[] {"GET", "key:" + i});
            commands.add(new Object[] {"INCR", "counter"});
            commands.add(new Object[] {"APPEND", "log", "x"});
            commands.add(new Object[] {"NOSUCHCOMMAND", i});
            commands.add(new Object[] {"GET"});
        }
        commands.add(new Object[] {"MGET", "key:0", "key:49", "nokey", "counter", "log"});
        d.checkPipeline(commands);
    }

    @Differential
    void inlineAndMultibulkInOnePacket(Dual d) {
        d.checkRaw("SET a 1\r\n*2\r\n$4\r\nINCR\r\n$1\r\na\r\nGET a\r\n*1\r\n$4\r\nPING\r\n", 4);
    }

    @Differential
    void fragmentedRequest(Dual d) throws InterruptedException {
        // Redis waits for the rest of a request: split in the middle of every part of it.
        String request = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n";
        for (int cut = 1; cut < request.length(); cut += 3) {
            d.checkRaw(request.substring(0, cut), 0);
            Thread.sleep(2);
            d.checkRaw(request.substring(cut), 1);
        }
        d.check("GET", "key");
    }

    @Differential
    void bulkPayloadTrailerIsNotChecked(Dual d) {
        // Redis skips the two bytes after a bulk payload without looking at them.
        d.checkRaw("*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n", 2);
    }

    @Differential
    void bigArguments(Dual d) {
        byte[] big = new byte[200_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        d.check("SET", "big", big);
        d.check("STRLEN", "big");
        d.check("GET", "big");
        d.check("SET", "big2", "x".repeat(40_000));
        d.check("GETRANGE", "big2", "39990", "-1");
    }

    @Differential
    void binarySafeArguments(Dual d) {
        byte[] value = {0, '\r', '\n', (byte) 0xff, '$', '*', 0};
        d.check("SET", new byte[] {'k', 0, '\n'}, value);
        d.check("GET", new byte[] {'k', 0, '\n'});
    }

    @Differential(protocols = 2)
    void httpProbesAreDroppedSilently(Dual d) {
        d.checkRawThenClosed("POST / HTTP/1.1\r\nHost: localhost\r\n\r\n", 0);
    }

    @Differential(protocols = 2)
    void hostHeaderIsDroppedSilently(Dual d) {
        d.checkRawThenClosed("Host: example.com\r\n", 0);
    }

    @Differential
    void connectionStaysUsableAfterCommandErrors(Dual d) {
        d.check("NOSUCH");
        d.check("GET");
        d.check("SET", "k", "v", "BADOPTION");
        d.check("PING");
        d.checkClosedAlike();
    }
}
