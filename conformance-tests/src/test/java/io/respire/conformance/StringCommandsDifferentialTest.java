package io.respire.conformance;

import java.util.ArrayList;
import java.util.List;

/**
 * String family (server's StringCommands and BitmapCommands): GET/SET and their option grammar,
 * the INCR family, APPEND/SETRANGE/GETRANGE, MSET/MGET, bit commands and LCS.
 */
class StringCommandsDifferentialTest {
    /** An absolute expiry a long way off, identical on both servers, so replies are deterministic. */
    private static final String FUTURE_SECONDS = String.valueOf(System.currentTimeMillis() / 1000 + 100_000);
    private static final String FUTURE_MS = FUTURE_SECONDS + "000";
    private static final ReplyComparison TTL = ReplyComparison.near(2);

    /** Creates a list at {@code key}: a value of another type, to provoke WRONGTYPE. */
    static void makeList(Dual d, String key) {
        d.check("RPUSH", key, "a", "b");
    }

    @Differential
    void getAndSet(Dual d) {
        d.check("GET", "missing");
        d.check("SET", "k", "v");
        d.check("GET", "k");
        d.check("SET", "k", "");
        d.check("GET", "k");
        d.check("SET", "k", "12345");
        d.check("GET", "k");
        d.check("SET", "k", "héllo wörld");
        d.check("GET", "k");
        d.check("SET", "k");
        d.check("GET");
        d.check("GET", "a", "b");
        makeList(d, "list");
        d.check("GET", "list");
        d.check("SET", "list", "now a string");
        d.check("GET", "list");
    }

    @Differential
    void setOptionCombinations(Dual d) {
        List<List<String>> options = List.of(List.of(), List.of("NX"), List.of("XX"), List.of("GET"),
                List.of("EX", "100"), List.of("PX", "100000"), List.of("EXAT", FUTURE_SECONDS),
                List.of("PXAT", FUTURE_MS), List.of("KEEPTTL"));
        List<List<String>> combinations = new ArrayList<>();
        for (int i = 0; i < options.size(); i++) {
            for (int j = i; j < options.size(); j++) {
                List<String> combo = new ArrayList<>(options.get(i));
                if (j != i) {
                    combo.addAll(options.get(j));
                }
                combinations.add(combo);
                if (j != i && (i == 1 || i == 2) && options.get(j).get(0).equals("GET")) {
                    for (int k = j + 1; k < options.size(); k++) {
                        List<String> triple = new ArrayList<>(combo);
                        triple.addAll(options.get(k));
                        combinations.add(triple);
                    }
                }
            }
        }
        for (List<String> combo : combinations) {
            for (String initial : List.of("missing", "plain", "with-ttl")) {
                d.check("DEL", "k");
                if (!initial.equals("missing")) {
                    d.check("SET", "k", "old");
                }
                if (initial.equals("with-ttl")) {
                    d.check("EXPIRE", "k", "500");
                }
                List<Object> command = new ArrayList<>(List.of("SET", "k", "new"));
                command.addAll(combo);
                d.check(command.toArray());
                d.check("GET", "k");
                d.checkWith(TTL, "TTL", "k");
            }
        }
    }

    @Differential
    void setBadOptions(Dual d) {
        d.check("SET", "k", "old", "EX", "100");
        Object[][] bad = {
            {"NX", "XX"}, {"XX", "NX"}, {"EX", "10", "PX", "100"}, {"EX", "10", "EX", "10"}, {"KEEPTTL", "EX", "10"},
            {"PX", "10", "KEEPTTL"}, {"EXAT", "1", "PXAT", "1"}, {"EX"}, {"PX"}, {"EX", "0"}, {"EX", "-1"},
            {"PX", "0"}, {"EXAT", "0"}, {"PXAT", "-5"}, {"EX", "abc"}, {"EX", "1.5"}, {"EX", " 10"},
            {"PX", "9223372036854775807"}, {"EX", "9223372036854775807"}, {"EX", "4611686018427387904"},
            {"EX", "99999999999999999999"}, {"BOGUS"}, {"ex"}, {"nx", "nx"}, {"GET", "GET"}, {"KEEPTTL", "KEEPTTL"},
        };
        for (Object[] options : bad) {
            d.check(Dual.concat(new Object[] {"SET", "k", "new"}, options));
            d.check("GET", "k");
        }
        d.checkWith(TTL, "TTL", "k");
        d.check("SET", "k", "v", "ex", "100", "nx");
        d.check("SET", "k", "v2", "xx", "get", "keepttl");
        d.checkWith(TTL, "TTL", "k");
        d.check("SET", "k", "v3", "EXAT", "1");
        d.check("GET", "k");
        makeList(d, "list");
        d.check("SET", "list", "v", "GET");
        d.check("SET", "list", "v", "NX", "GET");
        d.check("SET", "list", "v", "XX", "GET");
        d.check("TYPE", "list");
    }

    @Differential
    void setnxSetexPsetex(Dual d) {
        d.check("SETNX", "k", "a");
        d.check("SETNX", "k", "b");
        d.check("GET", "k");
        d.check("SETEX", "k", "100", "c");
        d.check("GET", "k");
        d.checkWith(TTL, "TTL", "k");
        d.check("PSETEX", "k", "100000", "d");
        d.checkWith(ReplyComparison.near(1500), "PTTL", "k");
        for (String bad : new String[] {"0", "-1", "abc", "1.5", "9223372036854775807", "", "4611686018427387904"}) {
            d.check("SETEX", "k", bad, "v");
            d.check("PSETEX", "k", bad, "v");
        }
        d.check("SETEX", "k", "10");
        d.check("SETNX", "k");
        makeList(d, "list");
        d.check("SETNX", "list", "x");
        d.check("SETEX", "list", "10", "x");
        d.check("TYPE", "list");
    }

    @Differential
    void getexGetdelGetset(Dual d) {
        d.check("SET", "k", "v");
        d.check("GETEX", "k");
        d.check("GETEX", "k", "EX", "100");
        d.checkWith(TTL, "TTL", "k");
        d.check("GETEX", "k", "PERSIST");
        d.check("TTL", "k");
        d.check("GETEX", "k", "PX", "100000");
        d.checkWith(TTL, "TTL", "k");
        d.check("GETEX", "k", "EXAT", FUTURE_SECONDS);
        d.check("EXPIRETIME", "k");
        d.check("GETEX", "k", "PXAT", FUTURE_MS);
        d.check("PEXPIRETIME", "k");
        for (Object[] bad : new Object[][] {{"EX"}, {"EX", "0"}, {"EX", "-1"}, {"EX", "x"}, {"PX", "0"}, {"EX", "1", "PX", "1"},
                {"PERSIST", "EX", "1"}, {"EX", "1", "PERSIST"}, {"KEEPTTL"}, {"BOGUS"}, {"PXAT", "9223372036854775807"},
                {"EX", "9223372036854775807"}}) {
            d.check(Dual.concat(new Object[] {"GETEX", "k"}, bad));
        }
        d.check("GETEX", "missing", "EX", "10");
        d.check("GETEX", "k", "EXAT", "1");
        d.check("EXISTS", "k");
        d.check("SET", "k", "v");
        d.check("GETDEL", "k");
        d.check("GETDEL", "k");
        d.check("EXISTS", "k");
        d.check("GETSET", "k", "1");
        d.check("GETSET", "k", "2");
        d.check("SET", "k", "v", "EX", "100");
        d.check("GETSET", "k", "3");
        d.check("TTL", "k");
        makeList(d, "list");
        d.check("GETEX", "list");
        d.check("GETDEL", "list");
        d.check("GETSET", "list", "x");
        d.check("STRLEN", "list");
    }

    @Differential
    void strlen(Dual d) {
        d.check("STRLEN", "missing");
        d.check("SET", "k", "hello");
        d.check("STRLEN", "k");
        d.check("SET", "n", "-12345");
        d.check("STRLEN", "n");
        d.check("SET", "u", "héllo");
        d.check("STRLEN", "u");
    }

    @Differential
    void incrDecrFamily(Dual d) {
        d.check("INCR", "n");
        d.check("INCRBY", "n", "10");
        d.check("DECR", "n");
        d.check("DECRBY", "n", "5");
        d.check("INCRBY", "n", "-100");
        d.check("GET", "n");
        for (String value : new String[] {"abc", "", " 1", "1 ", "+1", "01", "-0", "0x10", "1.0", "1e3",
                "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809"}) {
            d.check("SET", "v", value);
            d.check("INCR", "v");
            d.check("GET", "v");
            d.check("SET", "v", value);
            d.check("DECR", "v");
        }
        d.check("SET", "v", "9223372036854775806");
        d.check("INCR", "v");
        d.check("INCR", "v");
        d.check("INCRBY", "v", "-1");
        d.check("SET", "v", "-9223372036854775807");
        d.check("DECR", "v");
        d.check("DECR", "v");
        d.check("SET", "v", "0");
        for (String increment : new String[] {"abc", "1.5", "", "9223372036854775807", "-9223372036854775808",
                "9223372036854775808", " 1"}) {
            d.check("INCRBY", "v", increment);
            d.check("DECRBY", "v", increment);
            d.check("GET", "v");
        }
        d.check("SET", "v", "1");
        d.check("DECRBY", "v", "-9223372036854775808");
        d.check("SET", "v", "-1");
        d.check("INCRBY", "v", "-9223372036854775808");
        d.check("INCR", "v", "extra");
        d.check("INCRBY", "v");
        d.check("SET", "ttl", "1", "EX", "100");
        d.check("INCR", "ttl");
        d.checkWith(TTL, "TTL", "ttl");
        d.check("APPEND", "appended", "41");
        d.check("INCR", "appended");
        d.check("OBJECT", "ENCODING", "appended");
        makeList(d, "list");
        d.check("INCR", "list");
        d.check("DECRBY", "list", "2");
    }

    @Differential
    void incrbyfloatFormatting(Dual d) {
        String[][] cases = {
            {"10.5", "0.1"}, {"1.1", "2.2"}, {"3.0", "0"}, {"5.0e3", "2.0e2"}, {"0", "1e17"}, {"0", "1e-5"},
            {"1", "-1"}, {"-0", "0"}, {"0.1", "0.2"}, {"1234567.89", "0.01"}, {"1", "0.3333333333333333"},
            {"17179869184", "1.5"}, {"9007199254740993", "1"}, {"1e308", "1e308"}, {"1", "inf"}, {"1", "-inf"},
            {"1", "nan"}, {"1", "abc"}, {"1", ""}, {"1", " 1"}, {"1", "1 "}, {"abc", "1"}, {"1.5.5", "1"},
            {"0x10", "1"}, {"1", "0x10"}, {"inf", "1"}, {"1e400", "1"}, {"1", "1e400"}, {"3", "1e-400"},
            {"100", "-100.5"}, {"0.000001", "0"}, {"123456789012345678", "0"}, {"1.23e-10", "0"},
        };
        for (String[] c : cases) {
            d.check("SET", "f", c[0]);
            d.check("INCRBYFLOAT", "f", c[1]);
            d.check("GET", "f");
        }
        d.check("DEL", "f");
        d.check("INCRBYFLOAT", "f", "1.5");
        d.check("INCRBYFLOAT", "f");
        d.check("SET", "t", "1", "EX", "100");
        d.check("INCRBYFLOAT", "t", "1");
        d.checkWith(TTL, "TTL", "t");
        makeList(d, "list");
        d.check("INCRBYFLOAT", "list", "1");
    }

    @Differential
    void append(Dual d) {
        d.check("APPEND", "k", "hello");
        d.check("APPEND", "k", " world");
        d.check("GET", "k");
        d.check("APPEND", "k", "");
        d.check("SET", "n", "123");
        d.check("APPEND", "n", "456");
        d.check("GET", "n");
        d.check("STRLEN", "n");
        d.check("APPEND", "b", new byte[] {0, (byte) 0xff, '\r', '\n'});
        d.check("GET", "b");
        d.check("SET", "t", "x", "EX", "100");
        d.check("APPEND", "t", "y");
        d.checkWith(TTL, "TTL", "t");
        d.check("APPEND", "k");
        makeList(d, "list");
        d.check("APPEND", "list", "x");
    }

    @Differential
    void setrangeAndGetrange(Dual d) {
        d.check("SETRANGE", "k", "0", "");
        d.check("EXISTS", "k");
        d.check("SETRANGE", "k", "5", "");
        d.check("EXISTS", "k");
        d.check("SETRANGE", "k", "5", "abc");
        d.check("GET", "k");
        d.check("SETRANGE", "k", "0", "XY");
        d.check("SETRANGE", "k", "7", "ZZZ");
        d.check("GET", "k");
        d.check("SETRANGE", "k", "1", "");
        d.check("SETRANGE", "k", "-1", "x");
        d.check("SETRANGE", "k", "abc", "x");
        d.check("SETRANGE", "k", "536870911", "");
        d.check("SETRANGE", "k", "536870912", "x");
        d.check("SETRANGE", "k", "536870911", "xy");
        d.check("SET", "n", "12345");
        d.check("SETRANGE", "n", "2", "9");
        d.check("GET", "n");
        for (String[] range : new String[][] {{"0", "-1"}, {"0", "0"}, {"-3", "-1"}, {"5", "2"}, {"-100", "100"},
                {"100", "200"}, {"-1", "-5"}, {"0", "-100"}, {"3", "3"}, {"-9223372036854775808", "9223372036854775807"},
                {"a", "1"}, {"1", "b"}, {"1.5", "2"}}) {
            d.check("GETRANGE", "k", range[0], range[1]);
            d.check("GETRANGE", "n", range[0], range[1]);
            d.check("GETRANGE", "missing", range[0], range[1]);
            d.check("SUBSTR", "k", range[0], range[1]);
        }
        d.check("GETRANGE", "k", "0");
        makeList(d, "list");
        d.check("SETRANGE", "list", "0", "x");
        d.check("GETRANGE", "list", "0", "1");
    }

    @Differential
    void msetMgetMsetnx(Dual d) {
        d.check("MSET", "a", "1", "b", "2", "c", "3");
        d.check("MGET", "a", "b", "c", "missing", "a");
        d.check("MSET", "a", "1", "b");
        d.check("MSET", "a");
        d.check("MSET", "a", "x", "a", "y");
        d.check("GET", "a");
        d.check("MSETNX", "a", "1", "new", "2");
        d.check("EXISTS", "new");
        d.check("MSETNX", "new", "1", "new2", "2");
        d.check("MGET", "new", "new2");
        d.check("MSETNX", "x", "1", "x", "2");
        d.check("GET", "x");
        d.check("MSETNX", "a", "1", "b");
        makeList(d, "list");
        d.check("MGET", "a", "list", "b");
        d.check("MSET", "list", "s");
        d.check("TYPE", "list");
        d.check("MGET");
    }

    @Differential
    void setbitGetbit(Dual d) {
        d.check("SETBIT", "b", "7", "1");
        d.check("GET", "b");
        d.check("SETBIT", "b", "7", "0");
        d.check("SETBIT", "b", "100", "1");
        d.check("STRLEN", "b");
        d.check("GETBIT", "b", "100");
        d.check("GETBIT", "b", "101");
        d.check("GETBIT", "b", "100000");
        d.check("GETBIT", "missing", "0");
        for (String[] bad : new String[][] {{"-1", "1"}, {"4294967296", "1"}, {"abc", "1"}, {"0", "2"}, {"0", "-1"},
                {"0", "a"}, {"0", ""}}) {
            d.check("SETBIT", "b", bad[0], bad[1]);
        }
        d.check("GETBIT", "b", "-1");
        d.check("GETBIT", "b", "4294967296");
        d.check("GETBIT", "b", "4294967295");
        d.check("SET", "n", "1");
        d.check("SETBIT", "n", "7", "0");
        d.check("GET", "n");
        makeList(d, "list");
        d.check("SETBIT", "list", "0", "1");
        d.check("GETBIT", "list", "0");
    }

    @Differential
    void bitcountAndBitpos(Dual d) {
        d.check("SET", "s", "foobar");
        d.check("SET", "z", new byte[] {0, 0, 0});
        d.check("SET", "ff", new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xf0});
        for (String key : new String[] {"s", "z", "ff", "missing"}) {
            d.check("BITCOUNT", key);
            for (String[] range : new String[][] {{"0", "0"}, {"1", "1"}, {"0", "-1"}, {"-2", "-1"}, {"5", "1"},
                    {"-100", "100"}, {"0", "100"}}) {
                d.check("BITCOUNT", key, range[0], range[1]);
                d.check("BITCOUNT", key, range[0], range[1], "BYTE");
                d.check("BITCOUNT", key, range[0], range[1], "BIT");
                d.check("BITPOS", key, "1", range[0], range[1]);
                d.check("BITPOS", key, "0", range[0], range[1]);
                d.check("BITPOS", key, "1", range[0], range[1], "BIT");
                d.check("BITPOS", key, "0", range[0], range[1], "BIT");
            }
            d.check("BITPOS", key, "1");
            d.check("BITPOS", key, "0");
            d.check("BITPOS", key, "0", "1");
            d.check("BITPOS", key, "1", "-1");
        }
        d.check("BITCOUNT", "s", "0");
        d.check("BITCOUNT", "s", "0", "1", "BOGUS");
        d.check("BITCOUNT", "s", "a", "1");
        d.check("BITCOUNT", "s", "0", "1", "BIT", "extra");
        d.check("BITPOS", "s", "2");
        d.check("BITPOS", "s", "1", "0", "1", "BOGUS");
        d.check("BITPOS", "s", "1", "x");
        makeList(d, "list");
        d.check("BITCOUNT", "list");
        d.check("BITPOS", "list", "1");
    }

    @Differential
    void bitop(Dual d) {
        d.check("SET", "a", "foobar");
        d.check("SET", "b", "abcdefghij");
        d.check("SET", "c", "");
        for (String op : new String[] {"AND", "OR", "XOR", "and", "xor"}) {
            d.check("BITOP", op, "dest", "a", "b");
            d.check("GET", "dest");
            d.check("BITOP", op, "dest", "a", "b", "missing", "c");
            d.check("GET", "dest");
            d.check("BITOP", op, "dest", "a");
            d.check("GET", "dest");
        }
        d.check("BITOP", "NOT", "dest", "a");
        d.check("GET", "dest");
        d.check("BITOP", "NOT", "dest", "a", "b");
        d.check("BITOP", "NOT", "dest", "missing");
        d.check("EXISTS", "dest");
        d.check("BITOP", "AND", "dest", "missing", "missing2");
        d.check("EXISTS", "dest");
        d.check("BITOP", "NAND", "dest", "a");
        d.check("BITOP", "AND", "dest");
        makeList(d, "list");
        d.check("BITOP", "OR", "dest", "a", "list");
        d.check("BITOP", "OR", "list", "a");
        d.check("TYPE", "list");
    }

    @Differential
    void bitfield(Dual d) {
        d.check("BITFIELD", "bf", "SET", "u8", "0", "255", "GET", "u8", "0", "GET", "i8", "0");
        d.check("BITFIELD", "bf", "INCRBY", "u8", "0", "10", "OVERFLOW", "SAT", "INCRBY", "u8", "0", "300");
        d.check("BITFIELD", "bf", "OVERFLOW", "FAIL", "INCRBY", "i8", "#1", "200", "GET", "i8", "#1");
        d.check("BITFIELD", "bf", "SET", "i64", "0", "-1", "GET", "u63", "1", "GET", "i64", "0");
        d.check("BITFIELD", "bf", "GET", "u64", "0");
        d.check("BITFIELD", "bf", "GET", "i65", "0");
        d.check("BITFIELD", "bf", "GET", "u8", "-1");
        d.check("BITFIELD", "bf", "GET", "x8", "0");
        d.check("BITFIELD", "bf", "SET", "u8", "0");
        d.check("BITFIELD", "bf", "OVERFLOW", "BOGUS");
        d.check("BITFIELD", "bf", "BOGUS", "u8", "0");
        d.check("BITFIELD", "bf");
        d.check("BITFIELD_RO", "bf", "GET", "u16", "0");
        d.check("BITFIELD_RO", "bf", "SET", "u8", "0", "1");
        d.check("GET", "bf");
        makeList(d, "list");
        d.check("BITFIELD", "list", "GET", "u8", "0");
    }

    @Differential
    void lcs(Dual d) {
        d.check("MSET", "a", "ohmytext", "b", "mynewtext", "e", "");
        d.check("LCS", "a", "b");
        d.check("LCS", "a", "b", "LEN");
        d.check("LCS", "a", "b", "IDX");
        d.check("LCS", "a", "b", "IDX", "MINMATCHLEN", "4");
        d.check("LCS", "a", "b", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN");
        d.check("LCS", "a", "b", "IDX", "WITHMATCHLEN");
        d.check("LCS", "a", "b", "LEN", "IDX");
        d.check("LCS", "a", "b", "MINMATCHLEN");
        d.check("LCS", "a", "b", "MINMATCHLEN", "x");
        d.check("LCS", "a", "b", "MINMATCHLEN", "-1", "IDX");
        d.check("LCS", "a", "b", "BOGUS");
        d.check("LCS", "a", "missing");
        d.check("LCS", "missing", "missing2", "IDX");
        d.check("LCS", "a", "e", "IDX");
        d.check("LCS", "a", "a");
        makeList(d, "list");
        d.check("LCS", "a", "list");
    }
}
