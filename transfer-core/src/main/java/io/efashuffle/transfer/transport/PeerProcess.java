package io.efashuffle.transfer.transport;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The process behind an shm peer's address ({@code fi_shm://<pid>:<uid>:<n>}), as this host
 * sees it. Only that process serves (and so writes) an shm read: once it is gone, a read the
 * provider still holds to it can never land, and its memory may be given back. Known only where
 * the peer's pid was visible when it was inserted (the same pid namespace); a pid since reused by
 * another process counts as gone (its start time differs).
 */
final class PeerProcess {
    private static final Pattern SHM_NAME = Pattern.compile("fi_shm://(\\d+):\\d+:\\d+");
    private static final long CHECK_EVERY_NANOS = 1_000_000_000L;

    private final long pid;
    private final Instant started;
    private long checkedAt;
    private boolean gone;

    private PeerProcess(long pid, Instant started) {
        this.pid = pid;
        this.started = started;
    }

    /** The peer's process if {@code name} is an shm address of a process this host sees now; else null. */
    static PeerProcess of(byte[] name) {
        int end = 0;
        while (end < name.length && name[end] != 0) {
            end++;
        }
        Matcher m = SHM_NAME.matcher(new String(name, 0, end, StandardCharsets.US_ASCII));
        if (!m.matches()) {
            return null;
        }
        long pid;
        try {
            pid = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return null;
        }
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        return h.map(p -> new PeerProcess(pid, p.info().startInstant().orElse(null))).orElse(null);
    }

    /** Whether the process has exited (checked at most once a second; once gone, always gone). */
    synchronized boolean gone(long nowNanos) { // rails share a peer: their progress threads may ask at once
        if (gone || (checkedAt != 0 && nowNanos - checkedAt < CHECK_EVERY_NANOS)) {
            return gone;
        }
        checkedAt = nowNanos | 1;
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        gone = h.isEmpty() || !h.get().isAlive()
                || (started != null && !started.equals(h.get().info().startInstant().orElse(started)));
        return gone;
    }

    long pid() {
        return pid;
    }
}
