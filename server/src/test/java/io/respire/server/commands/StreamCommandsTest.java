package io.respire.server.commands;

import io.respire.server.BlockingClientsTest;
import io.respire.server.RespTestClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stream commands end to end, through an embedded server. The expected replies of the
 * non-blocking tests were recorded from redis-server 7.0.15 running the same commands (replies
 * that depend on the clock, idle times and delivery times, are left out; the differential tests
 * compare those with a mask). The blocking tests check XREAD BLOCK and XREADGROUP BLOCK with
 * several connections, as Redis's blocked.c serves them.
 */
class StreamCommandsTest extends BlockingClientsTest {

    @Test
    void addAndRangeWithEveryIdForm() throws Exception {
        assertEquals("5-1", c.call("xadd", "s", "5-1", "f", "v"));
        assertEquals("5-2", c.call("xadd", "s", "5-*", "f", "v2"));
        assertEquals("6-0", c.call("xadd", "s", "6-*", "g", "w"));
        assertEquals("(error) ERR The ID specified in XADD is equal or smaller than the target stream top item", c.call("xadd", "s", "5-9", "f", "x"));
        assertEquals("(error) ERR The ID specified in XADD must be greater than 0-0", c.call("xadd", "s", "0-0", "f", "x"));
        assertEquals("(error) ERR The ID specified in XADD is equal or smaller than the target stream top item", c.call("xadd", "s", "0-*", "f", "x"));
        assertEquals("(error) ERR Invalid stream ID specified as stream command argument", c.call("xadd", "s", "-", "f", "x"));
        assertEquals("(error) ERR Invalid stream ID specified as stream command argument", c.call("xadd", "s", "+", "f", "x"));
        assertEquals("(error) ERR Invalid stream ID specified as stream command argument", c.call("xadd", "s", "7-x", "f", "x"));
        assertEquals("7-0", c.call("xadd", "s", "7", "f", "x"));
        assertEquals("7-1", c.call("xadd", "s", "07-1", "f", "x"));
        assertEquals("(error) ERR wrong number of arguments for 'xadd' command", c.call("xadd", "s", "8-1", "f"));
        assertEquals("(error) ERR wrong number of arguments for 'xadd' command", c.call("xadd", "s", "8-1"));
        assertEquals("9-1", c.call("xadd", "s", "NOMKSTREAM", "9-1", "f", "v"));
        assertEquals("(nil)", c.call("xadd", "nokey", "NOMKSTREAM", "*", "f", "v"));
        assertEquals("(integer) 0", c.call("exists", "nokey"));
        assertEquals("18446744073709551615-18446744073709551615", c.call("xadd", "s", "18446744073709551615-18446744073709551615", "last", "one"));
        assertEquals("(error) ERR The stream has exhausted the last possible ID, unable to add more items", c.call("xadd", "s", "*", "more", "x"));
        assertEquals("1-18446744073709551615", c.call("xadd", "s2", "1-18446744073709551615", "a", "b"));
        assertEquals("(error) ERR Elements are too large to be stored", c.call("xadd", "s2", "1-*", "c", "d"));
        assertEquals("2-0", c.call("xadd", "s2", "2-*", "c", "d"));
        assertEquals("[[5-1, [f, v]], [5-2, [f, v2]], [6-0, [g, w]], [7-0, [f, x]], [7-1, [f, x]], [9-1, [f, v]], [18446744073709551615-18446744073709551615, [last, one]]]", c.call("xrange", "s", "-", "+"));
        assertEquals("[[5-1, [f, v]], [5-2, [f, v2]]]", c.call("xrange", "s", "-", "+", "COUNT", "2"));
        assertEquals("(nil)", c.call("xrange", "s", "-", "+", "COUNT", "0"));
        assertEquals("(nil)", c.call("xrange", "s", "-", "+", "COUNT", "-1"));
        assertEquals("[[18446744073709551615-18446744073709551615, [last, one]], [9-1, [f, v]]]", c.call("xrevrange", "s", "+", "-", "COUNT", "2"));
        assertEquals("[[5-2, [f, v2]], [6-0, [g, w]], [7-0, [f, x]], [7-1, [f, x]], [9-1, [f, v]], [18446744073709551615-18446744073709551615, [last, one]]]", c.call("xrange", "s", "(5-1", "+"));
        assertEquals("[[5-1, [f, v]], [5-2, [f, v2]]]", c.call("xrange", "s", "5", "5"));
        assertEquals("[[5-1, [f, v]], [5-2, [f, v2]], [6-0, [g, w]], [7-0, [f, x]], [7-1, [f, x]], [9-1, [f, v]], [18446744073709551615-18446744073709551615, [last, one]]]", c.call("xrange", "s", "(5", "+"));
        assertEquals("[[5-1, [f, v]], [5-2, [f, v2]]]", c.call("xrange", "s", "-", "(6-0"));
        assertEquals("(error) ERR invalid start ID for the interval", c.call("xrange", "s", "(18446744073709551615-18446744073709551615", "+"));
        assertEquals("(error) ERR invalid end ID for the interval", c.call("xrevrange", "s", "(0-0", "-"));
        assertEquals("(error) ERR syntax error", c.call("xrange", "s", "-", "+", "COUNT"));
        assertEquals("(error) ERR syntax error", c.call("xrange", "s", "-", "+", "LIMIT", "1"));
        assertEquals("(error) ERR Invalid stream ID specified as stream command argument", c.call("xrange", "s", "x", "+"));
        assertEquals("[]", c.call("xrange", "nokey", "-", "+"));
        assertEquals("(integer) 7", c.call("xlen", "s"));
        assertEquals("(integer) 0", c.call("xlen", "nokey"));
    }

    @Test
    void trimOptions() throws Exception {
        assertEquals("1-1", c.call("xadd", "t", "1-1", "a", "1"));
        assertEquals("2-1", c.call("xadd", "t", "2-1", "a", "2"));
        assertEquals("3-1", c.call("xadd", "t", "3-1", "a", "3"));
        assertEquals("4-1", c.call("xadd", "t", "4-1", "a", "4"));
        assertEquals("5-1", c.call("xadd", "t", "MAXLEN", "3", "5-1", "a", "5"));
        assertEquals("(integer) 3", c.call("xlen", "t"));
        assertEquals("6-1", c.call("xadd", "t", "MAXLEN", "=", "2", "6-1", "a", "6"));
        assertEquals("[[5-1, [a, 5]], [6-1, [a, 6]]]", c.call("xrange", "t", "-", "+"));
        assertEquals("7-1", c.call("xadd", "t", "MINID", "6", "7-1", "a", "7"));
        assertEquals("[[6-1, [a, 6]], [7-1, [a, 7]]]", c.call("xrange", "t", "-", "+"));
        assertEquals("8-1", c.call("xadd", "t", "MAXLEN", "~", "1", "8-1", "a", "8"));
        assertEquals("(integer) 3", c.call("xlen", "t"));
        assertEquals("(error) ERR syntax error, LIMIT cannot be used without the special ~ option", c.call("xadd", "t", "MAXLEN", "1", "LIMIT", "1", "9-1", "a", "9"));
        assertEquals("9-1", c.call("xadd", "t", "MAXLEN", "~", "1", "LIMIT", "1", "9-1", "a", "9"));
        assertEquals("(error) ERR syntax error, LIMIT cannot be used without specifying a trimming strategy", c.call("xadd", "t", "LIMIT", "1", "10-1", "a", "9"));
        assertEquals("(error) ERR syntax error, MAXLEN and MINID options at the same time are not compatible", c.call("xadd", "t", "MAXLEN", "1", "MINID", "1", "10-1", "a", "9"));
        assertEquals("(error) ERR The MAXLEN argument must be >= 0.", c.call("xadd", "t", "MAXLEN", "-1", "10-1", "a", "9"));
        assertEquals("(error) ERR value is not an integer or out of range", c.call("xadd", "t", "MAXLEN", "x", "10-1", "a", "9"));
        assertEquals("(error) ERR The LIMIT argument must be >= 0.", c.call("xadd", "t", "MAXLEN", "~", "1", "LIMIT", "-1", "10-1", "a", "9"));
        assertEquals("(integer) 3", c.call("xtrim", "t", "MAXLEN", "1"));
        assertEquals("[[9-1, [a, 9]]]", c.call("xrange", "t", "-", "+"));
        assertEquals("(integer) 1", c.call("xtrim", "t", "MINID", "=", "20"));
        assertEquals("(integer) 0", c.call("xlen", "t"));
        assertEquals("(error) ERR wrong number of arguments for 'xtrim' command", c.call("xtrim", "t"));
        assertEquals("(error) ERR syntax error, LIMIT cannot be used without specifying a trimming strategy", c.call("xtrim", "t", "LIMIT", "1"));
        assertEquals("(error) ERR syntax error", c.call("xtrim", "t", "MAXLEN", "1", "NOMKSTREAM"));
        assertEquals("(integer) 0", c.call("xtrim", "nokey", "MAXLEN", "0"));
        assertEquals("(error) ERR Invalid stream ID specified as stream command argument", c.call("xtrim", "t", "MINID", "~", "+"));
        assertEquals("(integer) 1", c.call("exists", "t"));
    }

    @Test
    void deleteAndSetId() throws Exception {
        assertEquals("1-0", c.call("xadd", "d", "1-0", "a", "1"));
        assertEquals("2-0", c.call("xadd", "d", "2-0", "a", "2"));
        assertEquals("3-0", c.call("xadd", "d", "3-0", "a", "3"));
        assertEquals("(integer) 1", c.call("xdel", "d", "2-0", "2-0", "9-0"));
        assertEquals("(error) ERR Invalid stream ID specified as stream command argument", c.call("xdel", "d", "1-0", "x"));
        assertEquals("(integer) 0", c.call("xdel", "nokey", "x"));
        assertEquals("[length, (integer) 2, radix-tree-keys, (integer) 1, radix-tree-nodes, (integer) 2, last-generated-id, 3-0, max-deleted-entry-id, 2-0, entries-added, (integer) 3, recorded-first-entry-id, 1-0, groups, (integer) 0, first-entry, [1-0, [a, 1]], last-entry, [3-0, [a, 3]]]", c.call("xinfo", "stream", "d"));
        assertEquals("(integer) 2", c.call("xdel", "d", "1-0", "3-0"));
        assertEquals("[length, (integer) 0, radix-tree-keys, (integer) 0, radix-tree-nodes, (integer) 1, last-generated-id, 3-0, max-deleted-entry-id, 3-0, entries-added, (integer) 3, recorded-first-entry-id, 0-0, groups, (integer) 0, first-entry, (nil), last-entry, (nil)]", c.call("xinfo", "stream", "d"));
        assertEquals("(error) ERR The ID specified in XADD is equal or smaller than the target stream top item", c.call("xadd", "d", "3-0", "a", "3"));
        assertEquals("OK", c.call("xsetid", "d", "2-0"));
        assertEquals("OK", c.call("xsetid", "d", "5-0"));
        assertEquals("OK", c.call("xsetid", "d", "6-0", "ENTRIESADDED", "100", "MAXDELETEDID", "5-5"));
        assertEquals("(error) ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id", c.call("xsetid", "d", "6-0", "MAXDELETEDID", "7-0"));
        assertEquals("(error) ERR entries_added must be positive", c.call("xsetid", "d", "6-0", "ENTRIESADDED", "-1"));
        assertEquals("OK", c.call("xsetid", "d", "6-0", "ENTRIESADDED", "0"));
        assertEquals("(error) ERR syntax error", c.call("xsetid", "d", "6-0", "BOGUS", "1"));
        assertEquals("(error) ERR Invalid stream ID specified as stream command argument", c.call("xsetid", "d", "+", ""));
        assertEquals("(error) ERR no such key", c.call("xsetid", "nokey", "1-0"));
        assertEquals("[length, (integer) 0, radix-tree-keys, (integer) 0, radix-tree-nodes, (integer) 1, last-generated-id, 6-0, max-deleted-entry-id, 5-5, entries-added, (integer) 0, recorded-first-entry-id, 0-0, groups, (integer) 0, first-entry, (nil), last-entry, (nil)]", c.call("xinfo", "stream", "d"));
        assertEquals("(error) ERR The ID specified in XADD is equal or smaller than the target stream top item", c.call("xadd", "d", "6-0", "a", "1"));
    }

    @Test
    void consumerGroups() throws Exception {
        assertEquals("(error) ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.", c.call("xgroup", "create", "g", "0", "MKSTREAM"));
        assertEquals("(error) ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.", c.call("xgroup", "create", "nokey", "grp", "0"));
        assertEquals("OK", c.call("xgroup", "create", "gs", "grp", "$", "MKSTREAM"));
        assertEquals("(error) BUSYGROUP Consumer Group name already exists", c.call("xgroup", "create", "gs", "grp", "$"));
        assertEquals("(error) ERR Invalid stream ID specified as stream command argument", c.call("xgroup", "create", "gs", "grp2", "x"));
        assertEquals("(error) ERR value for ENTRIESREAD must be positive or -1", c.call("xgroup", "create", "gs", "grp3", "0", "ENTRIESREAD", "-2"));
        assertEquals("OK", c.call("xgroup", "create", "gs", "grp3", "0", "ENTRIESREAD", "5", "MKSTREAM"));
        assertEquals("(error) ERR unknown subcommand or wrong number of arguments for 'create'. Try XGROUP HELP.", c.call("xgroup", "create", "gs", "grp4", "0", "BOGUS"));
        assertEquals("(error) NOGROUP No such consumer group 'nogrp' for key name 'gs'", c.call("xgroup", "setid", "gs", "nogrp", "0"));
        assertEquals("(error) ERR unknown subcommand or wrong number of arguments for 'setid'. Try XGROUP HELP.", c.call("xgroup", "setid", "gs", "grp", "0", "ENTRIESREAD", "1", "MKSTREAM"));
        assertEquals("OK", c.call("xgroup", "setid", "gs", "grp", "-"));
        assertEquals("OK", c.call("xgroup", "setid", "gs", "grp", "+", "ENTRIESREAD", "3"));
        assertEquals("(error) ERR unknown subcommand or wrong number of arguments for 'setid'. Try XGROUP HELP.", c.call("xgroup", "setid", "gs", "grp", "0", "ENTRIESREAD", "3", "x"));
        assertEquals("[[name, grp, consumers, (integer) 0, pending, (integer) 0, last-delivered-id, 18446744073709551615-18446744073709551615, entries-read, (integer) 3, lag, (integer) 0], [name, grp3, consumers, (integer) 0, pending, (integer) 0, last-delivered-id, 0-0, entries-read, (integer) 5, lag, (integer) 0]]", c.call("xinfo", "groups", "gs"));
        assertEquals("(integer) 1", c.call("xgroup", "createconsumer", "gs", "grp", "alice"));
        assertEquals("(integer) 0", c.call("xgroup", "createconsumer", "gs", "grp", "alice"));
        assertEquals("(error) NOGROUP No such consumer group 'nogrp' for key name 'gs'", c.call("xgroup", "createconsumer", "gs", "nogrp", "alice"));
        assertEquals("(integer) 0", c.call("xgroup", "delconsumer", "gs", "grp", "bob"));
        assertEquals("(integer) 0", c.call("xgroup", "delconsumer", "gs", "grp", "alice"));
        assertEquals("(integer) 1", c.call("xgroup", "destroy", "gs", "grp3"));
        assertEquals("(integer) 0", c.call("xgroup", "destroy", "gs", "grp3"));
        assertEquals("(error) ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.", c.call("xgroup", "destroy", "nokey", "grp3"));
        assertEquals("(error) ERR unknown subcommand 'foo'. Try XGROUP HELP.", c.call("xgroup", "foo", "gs", "grp"));
        assertEquals("[XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:, CREATE <key> <groupname> <id|$> [option],     Create a new consumer group. Options are:,     * MKSTREAM,       Create the empty stream if it does not exist.,     * ENTRIESREAD entries_read,       Set the group's entries_read counter (internal use)., CREATECONSUMER <key> <groupname> <consumer>,     Create a new consumer in the specified group., DELCONSUMER <key> <groupname> <consumer>,     Remove the specified consumer., DESTROY <key> <groupname>,     Remove the specified group., SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read],     Set the current group ID and entries_read counter., HELP,     Prints this help.]", c.call("xgroup", "help"));
        assertEquals("(error) ERR wrong number of arguments for 'xgroup|help' command", c.call("xgroup", "help", "x"));
        assertEquals("(error) ERR wrong number of arguments for 'xgroup|create' command", c.call("xgroup", "create"));
        assertEquals("[XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:, CONSUMERS <key> <groupname>,     Show consumers of <groupname>., GROUPS <key>,     Show the stream consumer groups., STREAM <key> [FULL [COUNT <count>],     Show information about the stream., HELP,     Prints this help.]", c.call("xinfo", "help"));
        assertEquals("(error) ERR unknown subcommand 'foo'. Try XINFO HELP.", c.call("xinfo", "foo"));
    }

    @Test
    void readGroupAckPendingAndClaims() throws Exception {
        assertEquals("1-0", c.call("xadd", "r", "1-0", "f", "1"));
        assertEquals("2-0", c.call("xadd", "r", "2-0", "f", "2"));
        assertEquals("3-0", c.call("xadd", "r", "3-0", "f", "3"));
        assertEquals("OK", c.call("xgroup", "create", "r", "g", "0"));
        assertEquals("[[r, [[1-0, [f, 1]], [2-0, [f, 2]]]]]", c.call("xreadgroup", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "r", ">"));
        assertEquals("[[r, [[3-0, [f, 3]]]]]", c.call("xreadgroup", "GROUP", "g", "bob", "STREAMS", "r", ">"));
        assertEquals("(nil)", c.call("xreadgroup", "GROUP", "g", "bob", "STREAMS", "r", ">"));
        assertEquals("[[r, [[1-0, [f, 1]], [2-0, [f, 2]]]]]", c.call("xreadgroup", "GROUP", "g", "alice", "STREAMS", "r", "0"));
        assertEquals("[[r, [[2-0, [f, 2]]]]]", c.call("xreadgroup", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "r", "1-0"));
        assertEquals("(nil)", c.call("xreadgroup", "GROUP", "g", "alice", "NOACK", "STREAMS", "r", ">"));
        assertEquals("(error) NOGROUP No such key 'r' or consumer group 'nog' in XREADGROUP with GROUP option", c.call("xreadgroup", "GROUP", "nog", "alice", "STREAMS", "r", ">"));
        assertEquals("(error) ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.", c.call("xreadgroup", "GROUP", "g", "alice", "STREAMS", "r", "$"));
        assertEquals("(error) ERR wrong number of arguments for 'xreadgroup' command", c.call("xreadgroup", "GROUP", "g", "alice", "STREAMS", "r"));
        assertEquals("(error) ERR wrong number of arguments for 'xreadgroup' command", c.call("xreadgroup", "STREAMS", "r", ">"));
        assertEquals("(error) ERR value is not an integer or out of range", c.call("xreadgroup", "GROUP", "g", "alice", "COUNT", "x", "STREAMS", "r", ">"));
        assertEquals("(error) ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.", c.call("xread", "GROUP", "g", "alice", "STREAMS", "r", ">"));
        assertEquals("(error) ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.", c.call("xread", "NOACK", "STREAMS", "r", "0"));
        assertEquals("(error) ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.", c.call("xread", "STREAMS", "r", ">"));
        assertEquals("[(integer) 3, 1-0, 3-0, [[alice, 2], [bob, 1]]]", c.call("xpending", "r", "g"));
        // [id, consumer, idle ms (the clock's), deliveries]
        assertTrue(c.call("xpending", "r", "g", "-", "+", "10", "bob").matches("\\[\\[3-0, bob, \\(integer\\) \\d+, \\(integer\\) 1]]"));
        assertEquals("[]", c.call("xpending", "r", "g", "-", "+", "0"));
        assertEquals("(error) ERR syntax error", c.call("xpending", "r", "g", "IDLE", "0", "-", "+"));
        assertEquals("(error) ERR value is not an integer or out of range", c.call("xpending", "r", "g", "-", "+", "x"));
        assertEquals("(error) ERR Invalid stream ID specified as stream command argument", c.call("xpending", "r", "g", "x", "+", "10"));
        assertEquals("[]", c.call("xpending", "r", "g", "(3-0", "+", "10"));
        assertEquals("(error) NOGROUP No such key 'r' or consumer group 'nog'", c.call("xpending", "r", "nog"));
        assertEquals("[]", c.call("xpending", "r", "g", "-", "+", "10", "nobody"));
        assertEquals("(integer) 1", c.call("xack", "r", "g", "1-0", "9-0"));
        assertEquals("(integer) 0", c.call("xack", "r", "g", "1-0"));
        assertEquals("(error) ERR Invalid stream ID specified as stream command argument", c.call("xack", "r", "g", "x"));
        assertEquals("(integer) 0", c.call("xack", "r", "nog", "x"));
        assertEquals("(integer) 0", c.call("xack", "nokey", "g", "x"));
        assertEquals("[2-0, 3-0]", c.call("xclaim", "r", "g", "carol", "0", "2-0", "3-0", "JUSTID"));
        assertEquals("[(integer) 2, 2-0, 3-0, [[carol, 2]]]", c.call("xpending", "r", "g"));
        assertEquals("[2-0]", c.call("xclaim", "r", "g", "carol", "0", "2-0", "RETRYCOUNT", "7", "JUSTID"));
        assertEquals("[1-0]", c.call("xclaim", "r", "g", "carol", "0", "1-0", "FORCE", "JUSTID"));
        assertEquals("[[1-0, [f, 1]]]", c.call("xclaim", "r", "g", "carol", "0", "1-0", "FORCE"));
        assertEquals("(error) ERR Invalid IDLE option argument for XCLAIM", c.call("xclaim", "r", "g", "carol", "0", "2-0", "IDLE", "x"));
        assertEquals("(error) ERR Unrecognized XCLAIM option 'BOGUS'", c.call("xclaim", "r", "g", "carol", "0", "2-0", "BOGUS"));
        assertEquals("(error) ERR Invalid min-idle-time argument for XCLAIM", c.call("xclaim", "r", "g", "carol", "x", "2-0"));
        assertEquals("[2-0]", c.call("xclaim", "r", "g", "carol", "0", "2-0", "LASTID", "9-0", "JUSTID"));
        assertEquals("(error) NOGROUP No such key 'r' or consumer group 'nog'", c.call("xclaim", "r", "nog", "carol", "0", "2-0"));
        assertEquals("[[name, g, consumers, (integer) 3, pending, (integer) 3, last-delivered-id, 9-0, entries-read, (integer) 3, lag, (integer) 0]]", c.call("xinfo", "groups", "r"));
        assertEquals("(integer) 1", c.call("xdel", "r", "2-0"));
        assertEquals("[2-0, [[1-0, [f, 1]]], []]", c.call("xautoclaim", "r", "g", "dave", "0", "0", "COUNT", "1"));
        assertEquals("[0-0, [1-0, 3-0], [2-0]]", c.call("xautoclaim", "r", "g", "dave", "0", "0", "JUSTID"));
        assertEquals("(error) ERR COUNT must be > 0", c.call("xautoclaim", "r", "g", "dave", "0", "0", "COUNT", "0"));
        assertEquals("(error) ERR Invalid min-idle-time argument for XAUTOCLAIM", c.call("xautoclaim", "r", "g", "dave", "x", "0"));
        assertEquals("(error) ERR Invalid stream ID specified as stream command argument", c.call("xautoclaim", "r", "g", "dave", "0", "x"));
        assertEquals("(error) ERR syntax error", c.call("xautoclaim", "r", "g", "dave", "0", "0", "BOGUS"));
        assertEquals("(error) NOGROUP No such key 'r' or consumer group 'nog'", c.call("xautoclaim", "r", "nog", "dave", "0", "0"));
        assertEquals("(error) ERR invalid start ID for the interval", c.call("xautoclaim", "r", "g", "dave", "0", "(18446744073709551615-18446744073709551615"));
        assertEquals("[[name, g, consumers, (integer) 4, pending, (integer) 2, last-delivered-id, 9-0, entries-read, (integer) 3, lag, (integer) 0]]", c.call("xinfo", "groups", "r"));
        assertEquals("(integer) 2", c.call("xgroup", "delconsumer", "r", "g", "dave"));
        assertEquals("[(integer) 0, (nil), (nil), (nil)]", c.call("xpending", "r", "g"));
    }

    @Test
    void infoAndTypes() throws Exception {
        assertEquals("1-0", c.call("xadd", "i", "1-0", "a", "1", "b", "2"));
        assertEquals("2-0", c.call("xadd", "i", "2-0", "a", "3", "b", "4"));
        assertEquals("3-0", c.call("xadd", "i", "3-0", "c", "5"));
        assertEquals("[length, (integer) 3, radix-tree-keys, (integer) 1, radix-tree-nodes, (integer) 2, last-generated-id, 3-0, max-deleted-entry-id, 0-0, entries-added, (integer) 3, recorded-first-entry-id, 1-0, groups, (integer) 0, first-entry, [1-0, [a, 1, b, 2]], last-entry, [3-0, [c, 5]]]", c.call("xinfo", "stream", "i"));
        assertEquals("[length, (integer) 3, radix-tree-keys, (integer) 1, radix-tree-nodes, (integer) 2, last-generated-id, 3-0, max-deleted-entry-id, 0-0, entries-added, (integer) 3, recorded-first-entry-id, 1-0, entries, [[1-0, [a, 1, b, 2]], [2-0, [a, 3, b, 4]], [3-0, [c, 5]]], groups, []]", c.call("xinfo", "stream", "i", "FULL"));
        assertEquals("[length, (integer) 3, radix-tree-keys, (integer) 1, radix-tree-nodes, (integer) 2, last-generated-id, 3-0, max-deleted-entry-id, 0-0, entries-added, (integer) 3, recorded-first-entry-id, 1-0, entries, [[1-0, [a, 1, b, 2]]], groups, []]", c.call("xinfo", "stream", "i", "FULL", "COUNT", "1"));
        assertEquals("[length, (integer) 3, radix-tree-keys, (integer) 1, radix-tree-nodes, (integer) 2, last-generated-id, 3-0, max-deleted-entry-id, 0-0, entries-added, (integer) 3, recorded-first-entry-id, 1-0, entries, [[1-0, [a, 1, b, 2]], [2-0, [a, 3, b, 4]], [3-0, [c, 5]]], groups, []]", c.call("xinfo", "stream", "i", "FULL", "COUNT", "-5"));
        assertEquals("(error) ERR unknown subcommand or wrong number of arguments for 'stream'. Try XINFO HELP.", c.call("xinfo", "stream", "i", "FULL", "x"));
        assertEquals("(error) ERR unknown subcommand or wrong number of arguments for 'stream'. Try XINFO HELP.", c.call("xinfo", "stream", "i", "FULL", "COUNT"));
        assertEquals("(error) ERR unknown subcommand or wrong number of arguments for 'stream'. Try XINFO HELP.", c.call("xinfo", "stream", "i", "LONG"));
        assertEquals("(error) ERR no such key", c.call("xinfo", "stream", "nokey"));
        assertEquals("[]", c.call("xinfo", "groups", "i"));
        assertEquals("(error) NOGROUP No such consumer group 'nog' for key name 'i'", c.call("xinfo", "consumers", "i", "nog"));
        assertEquals("stream", c.call("type", "i"));
        assertEquals("stream", c.call("object", "encoding", "i"));
        assertEquals("[0, [i]]", c.call("scan", "0", "type", "stream"));
        assertEquals("(integer) 1", c.call("copy", "i", "i2"));
        assertEquals("[[1-0, [a, 1, b, 2]], [2-0, [a, 3, b, 4]], [3-0, [c, 5]]]", c.call("xrange", "i2", "-", "+"));
        assertEquals("OK", c.call("rename", "i2", "i3"));
        assertEquals("(integer) 3", c.call("xlen", "i3"));
        assertEquals("OK", c.call("set", "str", "x"));
        assertEquals("(error) WRONGTYPE Operation against a key holding the wrong kind of value", c.call("xadd", "str", "*", "a", "b"));
        assertEquals("(error) WRONGTYPE Operation against a key holding the wrong kind of value", c.call("xrange", "str", "-", "+"));
        assertEquals("(error) WRONGTYPE Operation against a key holding the wrong kind of value", c.call("xlen", "str"));
        assertEquals("(error) WRONGTYPE Operation against a key holding the wrong kind of value", c.call("xread", "STREAMS", "str", "0"));
        assertEquals("(error) WRONGTYPE Operation against a key holding the wrong kind of value", c.call("xgroup", "create", "str", "g", "0"));
        assertEquals("(error) WRONGTYPE Operation against a key holding the wrong kind of value", c.call("xinfo", "stream", "str"));
        assertEquals("[95a3e65c737960f52c3db013431bab9f0b4c389d]", c.call("debug", "digest-value", "i"));
    }

    @Test
    void readWithoutBlocking() throws Exception {
        assertEquals("1-0", c.call("xadd", "r1", "1-0", "a", "1"));
        assertEquals("2-0", c.call("xadd", "r2", "2-0", "b", "2"));
        assertEquals("[[r1, [[1-0, [a, 1]]]], [r2, [[2-0, [b, 2]]]]]", c.call("xread", "STREAMS", "r1", "r2", "0", "0"));
        assertEquals("[[r1, [[1-0, [a, 1]]]], [r2, [[2-0, [b, 2]]]]]", c.call("xread", "COUNT", "1", "STREAMS", "r1", "r2", "0-0", "1-0"));
        assertEquals("(nil)", c.call("xread", "STREAMS", "r1", "r2", "$", "$"));
        assertEquals("[[r1, [[1-0, [a, 1]]]]]", c.call("xread", "STREAMS", "r1", "nokey", "0", "0"));
        assertEquals("[[r1, [[1-0, [a, 1]]]], [r1, [[1-0, [a, 1]]]]]", c.call("xread", "STREAMS", "r1", "r1", "0", "0"));
        assertEquals("(error) ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.", c.call("xread", "STREAMS", "r1", "r2", "0"));
        assertEquals("(error) ERR Invalid stream ID specified as stream command argument", c.call("xread", "STREAMS", "r1", "-"));
        assertEquals("(error) ERR wrong number of arguments for 'xread' command", c.call("xread", "STREAMS"));
        assertEquals("(error) ERR syntax error", c.call("xread", "COUNT", "1", "r1"));
        assertEquals("(error) ERR timeout is not an integer or out of range", c.call("xread", "BLOCK", "x", "STREAMS", "r1", "0"));
        assertEquals("(error) ERR timeout is negative", c.call("xread", "BLOCK", "-1", "STREAMS", "r1", "0"));
        assertEquals("[[r1, [[1-0, [a, 1]]]]]", c.call("xread", "BLOCK", "0", "STREAMS", "r1", "0"));
        assertEquals("[[r1, [[1-0, [a, 1]]]]]", c.call("xread", "COUNT", "-5", "STREAMS", "r1", "0"));
    }



    @Test
    void copiesAreIndependentAndMemoryIsCounted() throws Exception {
        c.call("XADD", "m", "1-0", "f", "v");
        c.call("XGROUP", "CREATE", "m", "g", "0");
        c.call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "m", ">");
        assertEquals("(integer) 1", c.call("COPY", "m", "m2"));
        c.call("XADD", "m2", "2-0", "f", "v");
        c.call("XACK", "m2", "g", "1-0");
        assertEquals("(integer) 1", c.call("XLEN", "m"));
        assertEquals("[(integer) 1, 1-0, 1-0, [[alice, 1]]]", c.call("XPENDING", "m", "g"));
        assertEquals("[(integer) 0, (nil), (nil), (nil)]", c.call("XPENDING", "m2", "g"));
        assertTrue(c.call("DEBUG", "OBJECT", "m").contains(" encoding:stream "));
        long small = Long.parseLong(c.call("MEMORY", "USAGE", "m").substring("(integer) ".length()));
        for (int i = 0; i < 300; i++) {
            c.call("XADD", "m", "*", "field", "value-" + i);
        }
        long large = Long.parseLong(c.call("MEMORY", "USAGE", "m").substring("(integer) ".length()));
        assertTrue(small > 0 && large > small + 300 * 8, small + " then " + large);
        assertEquals("OK", c.call("RENAME", "m", "renamed"));
        assertEquals("stream", c.call("TYPE", "renamed"));
    }

    // ------------------------------------------------------------------------------------------
    // Blocking (replies checked against redis-server with the same connections and commands)

    @Test
    void xreadBlockIsServedByXaddAndKeepsWaitingThroughDeletes() throws Exception {
        RespTestClient dollar = blockOn("XREAD", "BLOCK", "0", "STREAMS", "b", "$");
        RespTestClient two = blockOn("XREAD", "BLOCK", "0", "STREAMS", "m1", "b", "$", "$");
        assertEquals("1-0", c.call("XADD", "b", "1-0", "f", "v"));
        // XREAD consumes nothing: every waiter gets the entry.
        assertEquals("[[b, [[1-0, [f, v]]]]]", read(dollar));
        assertEquals("[[b, [[1-0, [f, v]]]]]", read(two));
        RespTestClient waiter = blockOn("XREAD", "BLOCK", "0", "STREAMS", "b", "$");
        c.call("DEL", "b");
        c.call("XSETID", "x", "1-0"); // a failing write: no wake-up
        assertEquals(1, blockedClients());
        c.call("XADD", "b", "5-0", "g", "w");
        assertEquals("[[b, [[5-0, [g, w]]]]]", read(waiter));
        // COUNT applies to what a blocked reader gets; several entries of one EXEC arrive together.
        RespTestClient counted = blockOn("XREAD", "COUNT", "1", "BLOCK", "0", "STREAMS", "b", "$");
        c.call("MULTI");
        c.call("XADD", "b", "6-0", "f", "v");
        c.call("XADD", "b", "7-0", "f", "v");
        c.call("EXEC");
        assertEquals("[[b, [[6-0, [f, v]]]]]", read(counted));
    }

    @Test
    void xreadBlockWakesOnlyForEntriesAfterItsId() throws Exception {
        c.call("XADD", "st", "1-0", "f", "v");
        RespTestClient waiter = blockOn("XREAD", "BLOCK", "0", "STREAMS", "st", "$");
        assertEquals("OK", c.call("XSETID", "st", "5-0")); // not signalled, as in Redis
        assertEquals("(integer) 0", c.call("XDEL", "st", "9-0"));
        assertEquals(1, blockedClients());
        c.call("XADD", "st", "6-0", "f", "v");
        assertEquals("[[st, [[6-0, [f, v]]]]]", read(waiter));
        RespTestClient zero = client();
        assertEquals("[[st, [[1-0, [f, v]], [6-0, [f, v]]]]]", zero.call("XREAD", "BLOCK", "0", "STREAMS", "st", "0"));
    }

    @Test
    void xreadgroupBlockDeliversEachEntryOnce() throws Exception {
        c.call("XGROUP", "CREATE", "g1", "grp", "$", "MKSTREAM");
        RespTestClient alice = blockOn("XREADGROUP", "GROUP", "grp", "alice", "BLOCK", "0", "STREAMS", "g1", ">");
        RespTestClient bob = blockOn("XREADGROUP", "GROUP", "grp", "bob", "BLOCK", "0", "STREAMS", "g1", ">");
        c.call("XADD", "g1", "1-0", "f", "v");
        assertEquals("[[g1, [[1-0, [f, v]]]]]", read(alice));
        assertEquals(1, blockedClients()); // the group moved on: nothing new for bob
        c.call("XADD", "g1", "2-0", "f", "v");
        assertEquals("[[g1, [[2-0, [f, v]]]]]", read(bob));
        assertEquals("[(integer) 2, 1-0, 2-0, [[alice, 1], [bob, 1]]]", c.call("XPENDING", "g1", "grp"));
        // NOACK: delivered, not pending; the consumer is created when served.
        RespTestClient carol = blockOn("XREADGROUP", "GROUP", "grp", "carol", "NOACK", "BLOCK", "0", "STREAMS", "g1", ">");
        c.call("XADD", "g1", "3-0", "f", "v");
        assertEquals("[[g1, [[3-0, [f, v]]]]]", read(carol));
        assertEquals("[(integer) 2, 1-0, 2-0, [[alice, 1], [bob, 1]]]", c.call("XPENDING", "g1", "grp"));
        assertEquals("[[name, grp, consumers, (integer) 3, pending, (integer) 2, last-delivered-id, 3-0, "
                + "entries-read, (integer) 3, lag, (integer) 0]]", c.call("XINFO", "GROUPS", "g1"));
    }

    @Test
    void xreadgroupBlockEndsWhenItsGroupOrKeyGoes() throws Exception {
        c.call("XGROUP", "CREATE", "g1", "grp", "$", "MKSTREAM");
        RespTestClient w = blockOn("XREADGROUP", "GROUP", "grp", "a", "BLOCK", "0", "STREAMS", "g1", ">");
        c.call("XGROUP", "DESTROY", "g1", "grp");
        assertEquals("(error) NOGROUP the consumer group this client was blocked on no longer exists", read(w));
        c.call("XGROUP", "CREATE", "g1", "grp", "$");
        w = blockOn("XREADGROUP", "GROUP", "grp", "a", "BLOCK", "0", "STREAMS", "g1", ">");
        c.call("DEL", "g1");
        assertEquals("(error) UNBLOCKED the stream key no longer exists", read(w));
        c.call("XGROUP", "CREATE", "g1", "grp", "$", "MKSTREAM");
        w = blockOn("XREADGROUP", "GROUP", "grp", "a", "BLOCK", "0", "STREAMS", "g1", ">");
        c.call("SET", "g1", "x");
        assertEquals("(error) UNBLOCKED the stream key no longer exists", read(w));
        c.call("DEL", "g1");
        c.call("XGROUP", "CREATE", "g1", "grp", "$", "MKSTREAM");
        w = blockOn("XREADGROUP", "GROUP", "grp", "a", "BLOCK", "0", "STREAMS", "g1", ">");
        c.call("FLUSHALL");
        assertEquals("(error) UNBLOCKED the stream key no longer exists", read(w));
    }

    @Test
    void xreadgroupBlockEndsWhenItsStreamExpires() throws Exception {
        c.call("XGROUP", "CREATE", "es", "g", "$", "MKSTREAM");
        c.call("PEXPIRE", "es", "150");
        RespTestClient w = blockOn("XREADGROUP", "GROUP", "g", "a", "BLOCK", "5000", "STREAMS", "es", ">");
        long start = System.nanoTime();
        // No command touches the key: the active expiry cycle removes it and serves the reader.
        assertEquals("(error) UNBLOCKED the stream key no longer exists", read(w));
        assertTrue((System.nanoTime() - start) / 1_000_000 < 3000);
    }

    @Test
    void blockTimeoutsMultiScriptsAndClientUnblock() throws Exception {
        long start = System.nanoTime();
        assertEquals("(nil)", c.call("XREAD", "BLOCK", "50", "STREAMS", "nokey", "$"));
        assertTrue((System.nanoTime() - start) / 1_000_000 >= 45);
        RespTestClient r3 = client();
        r3.call("HELLO", "3");
        assertEquals("_\r\n", new String(r3.callRaw("XREAD", "BLOCK", "10", "STREAMS", "nokey", "$"),
                StandardCharsets.ISO_8859_1));
        assertEquals("OK", c.call("MULTI"));
        assertEquals("QUEUED", c.call("XREAD", "BLOCK", "0", "STREAMS", "nokey", "$"));
        assertEquals("[(nil)]", c.call("EXEC"));
        assertTrue(c.call("EVAL", "return redis.call('xread','BLOCK','0','STREAMS','s','$')", "0")
                .startsWith("(error) ERR xread command is not allowed with BLOCK option from scripts"));
        assertTrue(c.call("EVAL", "return redis.call('XREADGROUP','GROUP','g','c','BLOCK','0','STREAMS','s','>')", "0")
                .startsWith("(error) ERR XREADGROUP command is not allowed with BLOCK option from scripts"));
        assertEquals("(nil)", c.call("EVAL", "return redis.call('xread','STREAMS','s','0')", "0"));
        RespTestClient o = client();
        long id = Long.parseLong(o.call("CLIENT", "ID").substring("(integer) ".length()));
        o.send("XREAD", "BLOCK", "0", "STREAMS", "ub", "$");
        waitForBlocked(1);
        assertEquals("(integer) 1", c.call("CLIENT", "UNBLOCK", Long.toString(id)));
        assertEquals("(nil)", read(o));
        o.send("XREAD", "BLOCK", "0", "STREAMS", "ub", "$");
        waitForBlocked(1);
        assertEquals("(integer) 1", c.call("CLIENT", "UNBLOCK", Long.toString(id), "ERROR"));
        assertEquals("(error) UNBLOCKED client unblocked via CLIENT UNBLOCK", read(o));
    }
}
