package io.efashuffle.transfer.engine;

/**
 * A registered buffer as peers see it.
 *
 * @param base     its start address in the owner's address space
 * @param length   its size in bytes
 * @param location where it lives, e.g. "cpu:0" (Mooncake's location tag)
 * @param keys     remote-access key per rail of the owner's transport
 */
public record BufferDescriptor(long base, long length, String location, long[] keys) {
    public BufferDescriptor {
        keys = keys.clone();
    }

    @Override
    public long[] keys() {
        return keys.clone();
    }

    long[] keysUnsafe() {
        return keys;
    }

    public boolean contains(long address, long len) {
        return address >= base && len >= 0 && address - base <= length - len;
    }
}
