package io.respire.server.commands;

import io.respire.server.EmbeddedServerTest;
import io.respire.server.InfoFields;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Geo commands end to end; every expected reply is Redis 7.0.15's, byte for byte where raw. */
class GeoCommandsTest extends EmbeddedServerTest {

    private String raw(Object... command) throws Exception {
        return new String(c.callRaw(command), StandardCharsets.UTF_8);
    }

    private void sicily() throws Exception {
        assertEquals(":2\r\n", raw("GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669",
                "Catania"));
    }

    @Test
    void geoaddIsAZaddOfHashes() throws Exception {
        sicily();
        assertEquals("3479099956230698", call("ZSCORE Sicily Palermo"));
        assertEquals("(integer) 1", call("GEOADD Sicily NX CH 13.361389 38.115556 Palermo 12 37 Agrigento"));
        assertEquals(":1\r\n", raw("GEOADD", "Sicily", "XX", "CH", "13.5", "38.1", "Palermo", "12", "37", "Nowhere"));
        assertEquals("(integer) 0", call("GEOADD Sicily XX 13.5 38.1 Palermo"));
        assertEquals("(integer) 3", call("ZCARD Sicily"));
        assertEquals("listpack", call("OBJECT ENCODING Sicily"));
        assertEquals("(error) ERR syntax error", call("GEOADD Sicily xx nx 1 1 a"));
        assertEquals("(error) ERR syntax error", call("GEOADD Sicily ch xx foo 1 1 a"));
        assertEquals("(error) ERR syntax error", call("GEOADD Sicily nx ch ch"));
        assertEquals("(error) ERR invalid longitude,latitude pair 200.000000,10.000000", call("GEOADD Sicily 200 10 a"));
        assertEquals("(error) ERR invalid longitude,latitude pair 0.000000,85.051129", call("GEOADD Sicily 0 85.05112879 a"));
        assertEquals("(error) ERR value is not a valid float", call("GEOADD Sicily abc 10 a"));
        assertEquals("(error) ERR value is not a valid float", call("GEOADD Sicily 1 1 a nan 1 b"));
        assertEquals("(integer) 3", call("ZCARD Sicily")); // nothing added by a failed GEOADD
        call("SET str x");
        assertEquals("(error) WRONGTYPE Operation against a key holding the wrong kind of value", call("GEOADD str 1 1 a"));
        assertEquals("(error) ERR invalid longitude,latitude pair 200.000000,1.000000", call("GEOADD str 200 1 a"));
    }

    @Test
    void geodistGeoposGeohash() throws Exception {
        sicily();
        call("GEOADD Sicily 13.5 38.1 Palermo");
        assertEquals("$8\r\n154.5068\r\n", raw("GEODIST", "Sicily", "Palermo", "Catania", "km"));
        assertEquals("$-1\r\n", raw("GEODIST", "Sicily", "Palermo", "Nope"));
        assertEquals("$-1\r\n", raw("GEODIST", "nokey", "a", "b"));
        assertEquals("(error) ERR unsupported unit provided. please use M, KM, FT, MI",
                call("GEODIST Sicily Palermo Catania yards"));
        assertEquals("(error) ERR syntax error", call("GEODIST Sicily Palermo Catania km x"));
        assertEquals("*2\r\n*2\r\n$20\r\n13.50000053644180298\r\n$20\r\n38.10000081174143105\r\n*-1\r\n",
                raw("GEOPOS", "Sicily", "Palermo", "Nope"));
        assertEquals("*3\r\n$11\r\nsqc8epyksf0\r\n$11\r\nsqdtr74hyu0\r\n$-1\r\n",
                raw("GEOHASH", "Sicily", "Palermo", "Catania", "Nope"));
        c.call("HELLO", "3");
        assertEquals("_\r\n", raw("GEODIST", "Sicily", "Palermo", "Nope"));
        assertEquals("*2\r\n*2\r\n,13.50000053644180298\r\n,38.10000081174143105\r\n_\r\n",
                raw("GEOPOS", "Sicily", "Palermo", "Nope"));
        assertEquals("*3\r\n$11\r\nsqc8epyksf0\r\n$11\r\nsqdtr74hyu0\r\n_\r\n",
                raw("GEOHASH", "Sicily", "Palermo", "Catania", "Nope"));
    }

    @Test
    void searches() throws Exception {
        sicily();
        call("GEOADD Sicily 13.5 38.1 Palermo 12 37 Agrigento");
        String nearest = "*2\r\n*4\r\n$7\r\nCatania\r\n$7\r\n56.4413\r\n:3479447370796909\r\n*2\r\n"
                + "%1$s15.08726745843887329\r\n%1$s37.50266842333162032\r\n*4\r\n$7\r\nPalermo\r\n$8\r\n180.1772\r\n"
                + ":3479100566894653\r\n*2\r\n%2$s13.50000053644180298\r\n%2$s38.10000081174143105\r\n";
        Object[] withAll = {"GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "ASC",
            "WITHCOORD", "WITHDIST", "WITHHASH"};
        assertEquals(String.format(nearest, "$20\r\n", "$20\r\n"), raw(withAll));
        assertEquals("*1\r\n*2\r\n$9\r\nAgrigento\r\n$8\r\n180.1771\r\n",
                raw("GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYBOX", "400", "400", "km", "DESC", "COUNT", "1",
                        "WITHDIST"));
        // Without ASC/DESC the order is that of the scan: Palermo's cell comes first here.
        assertEquals("*2\r\n*2\r\n$7\r\nPalermo\r\n$8\r\n180.1772\r\n*2\r\n$7\r\nCatania\r\n$7\r\n56.4413\r\n",
                raw("GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHDIST"));
        assertEquals("*1\r\n$7\r\nPalermo\r\n",
                raw("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "1", "ANY"));
        assertEquals("*2\r\n*2\r\n$7\r\nPalermo\r\n$6\r\n0.0000\r\n*2\r\n$7\r\nCatania\r\n$7\r\n96.0063\r\n",
                raw("GEORADIUSBYMEMBER", "Sicily", "Palermo", "100", "mi", "WITHDIST", "ASC"));
        assertEquals("[]", call("GEORADIUS nokey 15 37 200 km"));
        c.call("HELLO", "3");
        assertEquals(String.format(nearest, ",", ","), raw(withAll));
    }

    @Test
    void searchErrorsInRedisOrder() throws Exception {
        sicily();
        assertEquals("(error) ERR syntax error", call("GEORADIUS_RO Sicily 15 37 200 km STORE dst"));
        assertEquals("(error) ERR syntax error", call("GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 1 km STOREDIST"));
        assertEquals("(error) ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for geosearch",
                call("geosearch Sicily BYRADIUS 200 km ASC WITHDIST"));
        assertEquals("(error) ERR exactly one of BYRADIUS and BYBOX can be specified for GEOSEARCH",
                call("GEOSEARCH Sicily FROMLONLAT 15 37 ASC DESC"));
        assertEquals("(error) ERR syntax error", call("GEOSEARCH Sicily FROMLONLAT 15 37 FROMMEMBER Palermo BYRADIUS 1 km"));
        assertEquals("(error) ERR syntax error", call("GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 1 km BYBOX 1 1 km"));
        assertEquals("(error) ERR the ANY argument requires COUNT argument", call("GEORADIUS Sicily 15 37 1 km ANY"));
        assertEquals("(error) ERR COUNT must be > 0", call("GEORADIUS Sicily 15 37 1 km COUNT 0"));
        assertEquals("(error) ERR value is not an integer or out of range", call("GEORADIUS Sicily 15 37 1 km COUNT x"));
        assertEquals("(error) ERR syntax error", call("GEORADIUS Sicily 15 37 1 km COUNT"));
        assertEquals("(error) ERR need numeric radius", call("GEORADIUS Sicily 15 37 x km"));
        assertEquals("(error) ERR radius cannot be negative", call("GEORADIUS Sicily 15 37 -1 km"));
        assertEquals("(error) ERR need numeric width", call("GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX x y km"));
        assertEquals("(error) ERR need numeric height", call("GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX 1 y km"));
        assertEquals("(error) ERR height or width cannot be negative", call("GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX 1 -1 x"));
        assertEquals("(error) ERR could not decode requested zset member", call("GEORADIUSBYMEMBER Sicily Nope x km"));
        assertEquals("(error) ERR could not decode requested zset member",
                call("GEOSEARCH Sicily FROMMEMBER Nope BYRADIUS x km"));
        assertEquals("(error) ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options",
                call("GEORADIUS Sicily 15 37 1 km STORE dst WITHHASH"));
        assertEquals("(error) ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options",
                call("GEOSEARCHSTORE dst Sicily FROMLONLAT 15 37 BYRADIUS 1 km WITHDIST"));
        // A missing source key: options still parsed, but no centre or radius for GEORADIUSBYMEMBER.
        assertEquals("[]", call("GEORADIUSBYMEMBER nokey Nope x parsec"));
        assertEquals("(error) ERR syntax error", call("GEORADIUSBYMEMBER nokey Nope x parsec bogus"));
        assertEquals("(error) ERR need numeric radius", call("GEORADIUS nokey 15 37 x km"));
        call("SET str x");
        assertEquals("(error) WRONGTYPE Operation against a key holding the wrong kind of value",
                call("GEORADIUS str 200 37 x parsec"));
    }

    @Test
    void storesReplaceOrDelete() throws Exception {
        sicily();
        call("SET dst old EX 1000");
        assertEquals("(integer) 2", call("GEOSEARCHSTORE dst Sicily FROMLONLAT 15 37 BYRADIUS 200 km STOREDIST ASC"));
        assertEquals("*4\r\n$7\r\nCatania\r\n$18\r\n56.441257870158204\r\n$7\r\nPalermo\r\n$18\r\n190.44242984775784\r\n",
                raw("ZRANGE", "dst", "0", "-1", "WITHSCORES"));
        assertEquals("(integer) -1", call("TTL dst"));
        assertEquals("(integer) 1", call("GEORADIUS Sicily 15 37 200 km STORE dst COUNT 1"));
        assertEquals("[Catania, 3479447370796909]", call("ZRANGE dst 0 -1 WITHSCORES"));
        assertEquals("(integer) 0", call("GEORADIUS Sicily 0 0 1 km STORE dst"));
        assertEquals("(integer) 0", call("EXISTS dst"));
        call("SET dst old");
        assertEquals("(integer) 0", call("GEORADIUSBYMEMBER nokey Nope 1 km STOREDIST dst"));
        assertEquals("(integer) 0", call("EXISTS dst"));
        // Dirty counter: a store counts its members, a delete one, GEOADD its changes.
        assertEquals(2, InfoFields.changesMadeBy(c, "GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "15", "37",
                "BYRADIUS", "500", "km"));
        assertEquals(1, InfoFields.changesMadeBy(c, "GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "0", "0",
                "BYRADIUS", "1", "km"));
        assertEquals(0, InfoFields.changesMadeBy(c, "GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "0", "0",
                "BYRADIUS", "1", "km"));
        assertEquals(2, InfoFields.changesMadeBy(c, "GEOADD", "Sicily", "1", "1", "a", "2", "2", "b"));
        assertEquals(1, InfoFields.changesMadeBy(c, "GEOADD", "Sicily", "1", "1", "a", "3", "3", "b"));
    }
}
