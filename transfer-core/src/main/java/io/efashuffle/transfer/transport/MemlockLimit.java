package io.efashuffle.transfer.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * RLIMIT_MEMLOCK as it applies to this process. Providers that pin registered memory (EFA)
 * fail registration, or worse the device, when the limit is below the registered bytes.
 */
public record MemlockLimit(long softBytes, boolean unlimited, boolean canLockWithoutLimit) {

    /** Reads /proc/self/limits and CAP_IPC_LOCK (bit 14 of CapEff in /proc/self/status). */
    public static MemlockLimit current() {
        long soft = -1;
        boolean unlimited = false;
        boolean cap = false;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max locked memory")) {
                    String v = line.substring("Max locked memory".length()).trim().split("\\s+")[0];
                    unlimited = v.equals("unlimited");
                    soft = unlimited ? Long.MAX_VALUE : Long.parseLong(v);
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    cap = (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << 14)) != 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return new MemlockLimit(-1, false, false);
        }
        return new MemlockLimit(soft, unlimited, cap);
    }

    /** Whether {@code bytes} more may be locked, given {@code alreadyLocked} bytes held by this process. */
    public boolean allows(long alreadyLocked, long bytes) {
        return unlimited || canLockWithoutLimit || softBytes < 0 || alreadyLocked + bytes <= softBytes;
    }

    /** The error a user sees when registration would exceed the limit. */
    public String explain(long alreadyLocked, long bytes) {
        return "cannot register " + bytes + " bytes: RLIMIT_MEMLOCK is " + softBytes + " bytes and " + alreadyLocked
                + " are already registered. EFA pins registered memory. Raise the limit for the process "
                + "(ulimit -l unlimited; LimitMEMLOCK=infinity in the systemd unit of the YARN NodeManager; "
                + "'* - memlock unlimited' in /etc/security/limits.conf), or lower the registered budget.";
    }
}
