package io.efashuffle.transfer.engine;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cutting memory larger than one registration into page-aligned pieces, without a fabric. */
class RegistrationPiecesTest {
    private static final long MIB = 1 << 20;

    @Test
    void memoryWithinTheLimitIsOnePiece() {
        MemorySegment m = at(0x7f00_0000_0000L, 64 * MIB);
        assertSame(m, RegistrationPieces.of(m, 64 * MIB).getFirst());
        assertEquals(1, RegistrationPieces.of(m, 64 * MIB).size());
    }

    @Test
    void piecesAreWholeHugePagesAndCoverTheMemoryExactly() {
        long base = 0x7f00_0000_0000L + 4096 * 3; // not huge-page aligned
        MemorySegment m = at(base, 10 * MIB);
        List<MemorySegment> pieces = RegistrationPieces.of(m, 3 * MIB + 12345); // limit not a page multiple
        long next = base;
        for (int i = 0; i < pieces.size(); i++) {
            MemorySegment p = pieces.get(i);
            assertEquals(next, p.address(), "pieces follow one another");
            assertTrue(p.byteSize() <= 3 * MIB + 12345, "within the limit");
            if (i < pieces.size() - 1) {
                assertEquals(0, (p.address() + p.byteSize()) % (2 * MIB), "a cut on a huge-page boundary");
            }
            next = p.address() + p.byteSize();
        }
        assertEquals(base + 10 * MIB, next);
    }

    @Test
    void belowAHugePageTheCutsAreOnPages() {
        MemorySegment m = at(0x7f00_0000_0000L, MIB);
        List<MemorySegment> pieces = RegistrationPieces.of(m, 100_000);
        assertEquals(MIB / (24 * 4096) + 1, pieces.size(), "24-page pieces");
        pieces.forEach(p -> assertEquals(0, p.address() % 4096));
    }

    @Test
    void aLimitBelowAPageIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> RegistrationPieces.of(at(0x7f00_0000_0000L, MIB), 100));
    }

    private static MemorySegment at(long address, long bytes) {
        return MemorySegment.ofAddress(address).reinterpret(bytes);
    }
}
