package io.efashuffle.transfer.transport;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegionKeysTest {

    @Test
    void providerChosenKeysAreLeftToTheProvider() {
        assertEquals(0, new RegionKeys(true, 8).next());
    }

    @Test
    void applicationKeysAreRandomAndNeverZero() {
        RegionKeys keys = new RegionKeys(false, 8);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            long k = keys.next();
            assertNotEquals(0, k);
            seen.add(k);
        }
        assertEquals(1000, seen.size(), "64 random bits do not repeat in a thousand draws");
        assertTrue(seen.stream().noneMatch(k -> k > 0 && k < 1000), "no small counters");
    }

    @Test
    void keysFitTheProvidersKeySize() {
        AtomicLong draws = new AtomicLong();
        RegionKeys keys = new RegionKeys(false, 2, () -> draws.incrementAndGet() == 1 ? 0x10000 : 0xfffff1234L);
        assertEquals(0x1234, keys.next(), "a draw that masks to 0 is drawn again, then masked to 2 bytes");
        assertEquals(2, draws.get());
    }
}
