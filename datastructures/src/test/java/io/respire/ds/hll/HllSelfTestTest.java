package io.respire.ds.hll;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class HllSelfTestTest {

    @Test
    void passesWithTheDefaultLimit() {
        assertNull(HllSelfTest.run(3000, new Random(5)));
    }

    /** Too low a limit promotes small values: the check that they stayed sparse then fails, as on Redis. */
    @Test
    void reportsASparseValuePromotedTooEarly() {
        assertEquals("TESTFAILED sparse encoding not used", HllSelfTest.run(40, new Random(7)));
    }
}
