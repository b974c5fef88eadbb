package io.respire.server.commands;

import io.respire.server.EmbeddedServerTest;
import io.respire.server.RespTestClient;
import io.respire.server.RespireServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Bitmap commands end to end; expected replies were checked against Redis 7.0.15. */
class BitmapCommandsTest extends EmbeddedServerTest {

    private static final String WRONGTYPE = "(error) WRONGTYPE Operation against a key holding the wrong kind of value";

    /** An array reply with its integers shown bare: "[1, 2]". */
    private String array(String line) throws Exception {
        return call(line).replace("(integer) ", "");
    }

    @Test
    void setbitGetbit() throws Exception {
        assertEquals("(integer) 0", call("SETBIT b1 1 1"));
        assertEquals("@", call("GET b1"));
        assertEquals("(integer) 1", call("SETBIT b1 1 0"));
        assertEquals("(integer) 0", call("GETBIT b1 1"));
        c.call("SET", "b2", "1"); // 0x31 = 00110001
        assertEquals("(integer) 0", call("SETBIT b2 6 1"));
        assertEquals("3", call("GET b2"));
        assertEquals("(integer) 1", call("GETBIT b2 2"));
        assertEquals("(integer) 0", call("GETBIT b2 100"));
        assertEquals("(integer) 0", call("GETBIT b-missing 0"));
        assertEquals("(error) ERR bit offset is not an integer or out of range", call("SETBIT b1 4294967296 1"));
        assertEquals("(error) ERR bit offset is not an integer or out of range", call("SETBIT b1 -1 1"));
        assertEquals("(error) ERR bit is not an integer or out of range", call("SETBIT b1 0 2"));
        assertEquals("(error) ERR bit is not an integer or out of range", call("SETBIT b1 0 x"));
        StringCommandsTest.storeNonString(server, "b-list");
        assertEquals(WRONGTYPE, call("SETBIT b-list 0 1"));
        assertEquals(WRONGTYPE, call("GETBIT b-list 0"));
    }

    @Test
    void bitcountRanges() throws Exception {
        c.send("SET", "c1", new byte[] {(byte) 0xff, (byte) 0xf0});
        c.readRaw();
        assertEquals("(integer) 12", call("BITCOUNT c1"));
        assertEquals("(integer) 12", call("BITCOUNT c1 0 -1"));
        assertEquals("(integer) 4", call("BITCOUNT c1 1 1"));
        assertEquals("(integer) 8", call("BITCOUNT c1 4 11 BIT"));
        assertEquals("(integer) 1", call("BITCOUNT c1 -5 -1 BIT"));
        assertEquals("(integer) 0", call("BITCOUNT c1 -1 -5"));
        assertEquals("(integer) 0", call("BITCOUNT c1 -1 -5 BITS")); // decided before the unit is read
        assertEquals("(error) ERR syntax error", call("BITCOUNT c1 0"));
        assertEquals("(error) ERR syntax error", call("BITCOUNT c1 0 1 BITS"));
        assertEquals("(integer) 0", call("BITCOUNT c-missing 1 2 x"));
    }

    @Test
    void bitposRanges() throws Exception {
        c.send("SET", "p1", new byte[] {(byte) 0xff, (byte) 0xf0});
        c.readRaw();
        assertEquals("(integer) 12", call("BITPOS p1 0"));
        assertEquals("(integer) 0", call("BITPOS p1 1"));
        assertEquals("(integer) -1", call("BITPOS p1 1 2"));
        assertEquals("(integer) -1", call("BITPOS p1 0 0 0"));
        assertEquals("(integer) 7", call("BITPOS p1 1 7 15 BIT"));
        assertEquals("(integer) 12", call("BITPOS p1 0 7 15 BIT"));
        assertEquals("(integer) -1", call("BITPOS p1 0 0 11 BIT"));
        assertEquals("(integer) 12", call("BITPOS p1 0 0 12 BIT"));
        assertEquals("(integer) -1", call("BITPOS p1 1 -1 -1 BIT"));
        assertEquals("(error) ERR value is not an integer or out of range", call("BITPOS p1 1 17 BIT"));
        assertEquals("(error) ERR syntax error", call("BITPOS p1 1 0 -1 bits"));
        assertEquals("(error) ERR The bit argument must be 1 or 0.", call("BITPOS p1 2"));
        c.send("SET", "p2", new byte[] {(byte) 0xff, (byte) 0xff});
        c.readRaw();
        assertEquals("(integer) 16", call("BITPOS p2 0")); // no end: zeros are assumed past the string
        assertEquals("(integer) 16", call("BITPOS p2 0 0"));
        assertEquals("(integer) -1", call("BITPOS p2 0 0 -1")); // an explicit end
        assertEquals("(integer) -1", call("BITPOS p2 0 3 9 BIT"));
        assertEquals("(integer) -1", call("BITPOS p-missing 1"));
        assertEquals("(integer) 0", call("BITPOS p-missing 0"));
    }

    @Test
    void bitop() throws Exception {
        c.call("MSET", "o1", "abc", "o2", "a");
        assertEquals("(integer) 3", call("BITOP AND o3 o1 o2"));
        assertEquals("a\0\0", call("GET o3"));
        assertEquals("raw", call("OBJECT ENCODING o3"));
        assertEquals("(integer) 3", call("BITOP OR o3 o1 o2 o-missing"));
        assertEquals("abc", call("GET o3"));
        assertEquals("(integer) 3", call("BITOP XOR o3 o1 o2"));
        assertEquals("\0bc", call("GET o3"));
        assertEquals("(integer) 1", call("BITOP NOT o3 o2"));
        assertEquals("(integer) 5", call("BITCOUNT o3")); // ~0x61 = 0x9e
        assertEquals("(integer) 0", call("BITOP AND o3 o-missing"));
        assertEquals("(integer) 0", call("EXISTS o3"));
        assertEquals("(error) ERR BITOP NOT must be called with a single source key.", call("BITOP NOT o3 o1 o2"));
        assertEquals("(error) ERR syntax error", call("BITOP NAND o3 o1"));
        StringCommandsTest.storeNonString(server, "o-list");
        assertEquals(WRONGTYPE, call("BITOP OR o3 o1 o-list"));
    }

    @Test
    void bitfield() throws Exception {
        assertEquals("[0, 255]", array("BITFIELD f1 SET u8 0 255 GET u8 0"));
        assertEquals("[255]", array("BITFIELD f1 GET u8 0"));
        assertEquals("[100, -56]", array("BITFIELD f2 INCRBY i8 #1 100 INCRBY i8 #1 100"));
        assertEquals("[127, (nil)]", array("BITFIELD f3 OVERFLOW SAT INCRBY i8 0 200 OVERFLOW FAIL INCRBY i8 0 1"));
        assertEquals("[0, 0]", array("BITFIELD f4 GET u63 0 GET i64 1000"));
        assertEquals("(integer) 0", call("EXISTS f4"));
        assertEquals("[-1]", array("BITFIELD_RO f1 GET i8 0"));
        assertEquals("(error) ERR BITFIELD_RO only supports the GET subcommand", call("BITFIELD_RO f1 SET u8 0 1"));
        assertEquals("(error) ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.",
                call("BITFIELD f1 GET u64 0"));
        assertEquals("(error) ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.",
                call("BITFIELD f1 GET I8 0"));
        assertEquals("(error) ERR Invalid OVERFLOW type specified", call("BITFIELD f1 OVERFLOW NONE"));
        assertEquals("(error) ERR syntax error", call("BITFIELD f1 GET u8"));
        assertEquals("(error) ERR bit offset is not an integer or out of range", call("BITFIELD f1 GET u8 -1"));
        assertEquals("(error) ERR bit offset is not an integer or out of range", call("BITFIELD f1 GET u8 #x"));
        assertEquals("(error) ERR value is not an integer or out of range", call("BITFIELD f1 SET u8 0 x"));
        assertEquals("[]", array("BITFIELD f1"));
        StringCommandsTest.storeNonString(server, "f-list");
        assertEquals(WRONGTYPE, call("BITFIELD f-list GET u8 0"));
        assertEquals(WRONGTYPE, call("BITFIELD f-list SET u8 0 1"));
    }
}
