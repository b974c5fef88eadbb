package io.respire.ds.list;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PackedThresholdTest {
    @Test
    void setsAsRedisQuicklistisSetPackedThreshold() {
        PackedThreshold t = new PackedThreshold();
        assertEquals(1L << 30, t.bytes());
        assertFalse(t.isLarge((1 << 30) - 1));
        assertTrue(t.isLarge(1 << 30));
        assertTrue(t.set(1));
        assertTrue(t.isLarge(1));
        assertFalse(t.isLarge(0));
        assertTrue(t.set((1L << 32) - (1 << 20)));
        assertFalse(t.set((1L << 32) - (1 << 20) + 1));
        assertFalse(t.set(-1));
        assertEquals((1L << 32) - (1 << 20), t.bytes(), "a refused size changes nothing");
        assertTrue(t.set(0));
        assertEquals(1L << 30, t.bytes(), "0 restores the default");
    }
}
