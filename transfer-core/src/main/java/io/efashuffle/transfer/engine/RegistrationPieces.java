package io.efashuffle.transfer.engine;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts memory into pieces no larger than the transport's largest registration. Pieces are whole
 * 2 MiB huge pages where the limit allows (else whole 4 KiB pages), so a piece boundary never
 * splits a page the NIC maps.
 */
final class RegistrationPieces {
    static final long HUGE_PAGE = 2L << 20;
    static final long PAGE = 4096;

    private RegistrationPieces() {}

    static List<MemorySegment> of(MemorySegment memory, long maxRegistrationBytes) {
        if (maxRegistrationBytes < PAGE) {
            throw new IllegalArgumentException("largest registration " + maxRegistrationBytes + " bytes is below a page");
        }
        if (memory.byteSize() <= maxRegistrationBytes) {
            return List.of(memory);
        }
        long unit = maxRegistrationBytes >= HUGE_PAGE ? HUGE_PAGE : PAGE;
        long piece = maxRegistrationBytes / unit * unit;
        List<MemorySegment> pieces = new ArrayList<>((int) Math.min(1 << 16, memory.byteSize() / piece + 1));
        long base = memory.address();
        long off = 0;
        while (off < memory.byteSize()) {
            // end on a page boundary of the address space, so unaligned memory is cut at pages too
            long end = Math.min(memory.byteSize(), (base + off + piece) / unit * unit - base);
            if (end <= off) {
                end = Math.min(memory.byteSize(), off + piece);
            }
            pieces.add(memory.asSlice(off, end - off));
            off = end;
        }
        return pieces;
    }
}
