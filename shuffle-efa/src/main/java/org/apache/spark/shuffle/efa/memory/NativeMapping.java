package org.apache.spark.shuffle.efa.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * An anonymous private mapping with MAP_NORESERVE: a large range costs nothing until its pages are
 * written, so a registered-bytes budget can be reserved up front and registered as one region.
 * It asks for transparent huge pages (fewer faults and TLB misses, fewer pages for a NIC to pin)
 * and can be populated ahead of use, so map tasks do not pay a page fault per 4 KiB they write.
 * The segment belongs to a shared arena: closing it unmaps, and a late access from another thread
 * (Netty still sending a block after stop) gets an exception instead of a fault.
 */
public final class NativeMapping implements AutoCloseable {
    private static final int PROT_READ = 1, PROT_WRITE = 2, MAP_PRIVATE = 0x02, MAP_ANONYMOUS = 0x20,
            MAP_NORESERVE = 0x4000, MADV_HUGEPAGE = 14, MADV_POPULATE_WRITE = 23;
    private static final MethodHandle MMAP, MUNMAP, MADVISE;

    static {
        Linker linker = Linker.nativeLinker();
        MMAP = linker.downcallHandle(linker.defaultLookup().findOrThrow("mmap"),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
        MUNMAP = linker.downcallHandle(linker.defaultLookup().findOrThrow("munmap"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        MADVISE = linker.downcallHandle(linker.defaultLookup().findOrThrow("madvise"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_INT));
    }

    private final Arena arena = Arena.ofShared();
    private final MemorySegment memory;

    public NativeMapping(long bytes) {
        MemorySegment raw;
        try {
            raw = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, bytes, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0L);
        } catch (Throwable t) {
            arena.close();
            throw new IllegalStateException("mmap failed", t);
        }
        if (raw.address() == -1L) {
            arena.close();
            throw new IllegalStateException("mmap of " + bytes + " bytes failed (address space or vm.overcommit)");
        }
        long address = raw.address();
        memory = raw.reinterpret(bytes, arena, s -> unmap(address, bytes));
        madvise(0, bytes, MADV_HUGEPAGE); // a hint: THP may be off, which only costs speed
    }

    /**
     * Makes {@code [offset, offset + length)} resident as if written, without changing its
     * contents, so it is safe while other threads write there. False when the kernel cannot
     * (MADV_POPULATE_WRITE needs Linux 5.14) or memory is short; the pages then fault on first use.
     */
    public boolean populate(long offset, long length) {
        return madvise(offset, length, MADV_POPULATE_WRITE);
    }

    private boolean madvise(long offset, long length, int advice) {
        try {
            return (int) MADVISE.invokeExact(memory.asSlice(offset, length), length, advice) == 0;
        } catch (Throwable t) {
            return false;
        }
    }

    private static void unmap(long address, long bytes) {
        try {
            int rc = (int) MUNMAP.invokeExact(MemorySegment.ofAddress(address), bytes);
            assert rc == 0;
        } catch (Throwable t) {
            throw new IllegalStateException("munmap failed", t);
        }
    }

    public MemorySegment memory() {
        return memory;
    }

    @Override
    public void close() {
        arena.close();
    }
}
