package io.efashuffle.transfer.transport;

/**
 * When a rail's progress thread polls again, parks briefly or sleeps. It must keep polling while
 * its own operations are in flight and while peers read from it (tcp;ofi_rxm serves a read only
 * inside the target's fi_cq_read), yet cost no core when nothing happens.
 *
 * <ul>
 *   <li>Work found: poll again at once.</li>
 *   <li>Operations in flight, nothing completed for {@code busySpinIterations} polls: park briefly
 *       (a blocking CQ read is no option there: providers differ in whether it makes progress and
 *       honours its timeout with a peer gone, and deadlines must be checked).</li>
 *   <li>Nothing of ours in flight: sleep after {@code spinIterations} empty polls; after a sleep,
 *       only probe briefly: one poll after a park, which ends on a timer, not on traffic
 *       (shm, whose blocking CQ read spins; no CQ wait object). A poll that served a peer buys
 *       {@link #SERVING_CREDIT} more polls.</li>
 * </ul>
 *
 * <p>"Served a peer" is judged by CPU time: a poll that used {@link #SERVING_POLL_FACTOR} times
 * the CPU of the fastest empty poll of the last window (and at least {@link #SERVING_POLL_NANOS}).
 * CPU time, because a preempted poll did no work; relative, because an empty tcp poll is an epoll
 * syscall that alone takes microseconds on a VM; a credit, not a reset, because interrupts charged
 * to the thread make a fraction of a percent of empty polls slow too, and a reset on each kept
 * idle threads spinning through whole map stages.
 *
 * <p>Where the provider progresses by itself ({@code providerProgresses}: sockets, efa-direct) and
 * the mode is AUTO, a peer's read needs nothing from us, so an idle thread sleeps until a caller
 * wakes it ({@link #sleepsUntilWoken}) and no poll is judged for serving. Used by one thread only.
 */
final class IdlePolicy {
    enum Next { POLL, PARK_BRIEFLY, SLEEP }

    static final long SERVING_POLL_NANOS = 4_000;
    static final int SERVING_POLL_FACTOR = 8;
    static final int SERVING_CREDIT = 64;
    static final int POLL_FLOOR_WINDOW = 1024;
    static final int PROBE_ITERATIONS = 256;
    /**
     * The idle park ceiling where AUTO parks because the provider's blocking CQ read spins (shm).
     * There a peer's read is the reader's copy (cross-memory attach) and the target only drains a
     * command per read from a queue of rx_size entries, so waking every 5 ms costs a reader
     * nothing but a new peer's first contact; at 200 µs idle executors used 8% of a core each.
     */
    static final long SPINNING_WAIT_MAX_PARK_NANOS = 5_000_000;
    private static final long MIN_PARK_NANOS = 1_000;
    /**
     * Idle rounds wrap here to half of it, a count that still means long idle and keeps the loop's
     * every-1024-rounds rhythm: a thread waiting days on reads that never end does not overflow.
     */
    static final int ROUNDS_CAP = 1 << 30;

    private final boolean spinOnly;
    private final boolean untilWoken;
    private final int probeIterations;
    private final int spinIterations;
    private final int busySpinIterations;
    private final long maxParkNanos;

    private int idle;
    private long parkNanos = MIN_PARK_NANOS;
    private long pollFloor = Long.MAX_VALUE; // fastest empty poll of the last full window
    private long windowFloor = Long.MAX_VALUE;
    private int windowPolls;

    IdlePolicy(ProgressMode mode, int spinIterations, int busySpinIterations, long maxParkNanos) {
        this(mode, false, spinIterations, busySpinIterations, maxParkNanos);
    }

    IdlePolicy(ProgressMode mode, boolean providerProgresses, int spinIterations, int busySpinIterations,
               long maxParkNanos) {
        this(mode, providerProgresses, true, spinIterations, busySpinIterations, maxParkNanos);
    }

    /**
     * {@code blockingReadSleeps}: fi_cq_sread sleeps until traffic; else AUTO parks on a timer, one
     * poll per wake-up, backing off to at least {@link #SPINNING_WAIT_MAX_PARK_NANOS}.
     */
    IdlePolicy(ProgressMode mode, boolean providerProgresses, boolean blockingReadSleeps, int spinIterations,
               int busySpinIterations, long maxParkNanos) {
        this.spinOnly = mode == ProgressMode.SPIN;
        this.untilWoken = providerProgresses && mode == ProgressMode.AUTO;
        boolean parksForSpinningWait = mode == ProgressMode.AUTO && !untilWoken && !blockingReadSleeps;
        this.probeIterations = mode == ProgressMode.PARK || parksForSpinningWait ? 1 : PROBE_ITERATIONS;
        this.spinIterations = spinIterations;
        this.busySpinIterations = busySpinIterations;
        this.maxParkNanos = parksForSpinningWait ? Math.max(maxParkNanos, SPINNING_WAIT_MAX_PARK_NANOS) : maxParkNanos;
    }

    static IdlePolicy of(TransportConfig config, boolean providerProgresses, boolean blockingReadSleeps) {
        return new IdlePolicy(config.progress(), providerProgresses, blockingReadSleeps, config.spinIterations(),
                config.busySpinIterations(), config.maxParkMicros() * 1_000L);
    }

    /** An idle thread sleeps until woken (no timeout): the provider serves peers without it. */
    boolean sleepsUntilWoken() {
        return untilWoken;
    }

    /** Whether an idle poll may be serving a peer, so that {@link #servedPeer} is worth asking. */
    boolean judgesServing() {
        return !untilWoken;
    }

    /**
     * A poll with nothing of ours in flight completed nothing and used {@code cpuNanos}: whether
     * it served a peer.
     */
    boolean servedPeer(long cpuNanos) {
        windowFloor = Math.min(windowFloor, cpuNanos);
        if (++windowPolls == POLL_FLOOR_WINDOW) {
            pollFloor = windowFloor;
            windowFloor = Long.MAX_VALUE;
            windowPolls = 0;
        }
        long serving = Math.max(SERVING_POLL_NANOS, pollFloor == Long.MAX_VALUE ? 0 : pollFloor * SERVING_POLL_FACTOR);
        return cpuNanos > serving;
    }

    /**
     * What to do after one round of the loop.
     *
     * @param worked     the round posted or completed something
     * @param busy       operations of ours are in flight or waiting for credits
     * @param served     the round's poll served a peer ({@link #servedPeer})
     * @param inboxEmpty no caller is waiting for the thread
     */
    Next next(boolean worked, boolean busy, boolean served, boolean inboxEmpty) {
        if (worked || busy) {
            idle = worked ? 0 : longIdle(idle + 1);
            parkNanos = MIN_PARK_NANOS;
            return !worked && !spinOnly && inboxEmpty && idle >= busySpinIterations ? Next.PARK_BRIEFLY : Next.POLL;
        }
        idle = served ? Math.max(0, idle - SERVING_CREDIT) : longIdle(idle + 1);
        if (idle < spinIterations || spinOnly) {
            return Next.POLL;
        }
        idle = Math.max(0, spinIterations - probeIterations); // real work found by the probe restarts spinning
        return Next.SLEEP;
    }

    /** How long the next idle park lasts (where the CQ has no wait object): doubling up to the maximum. */
    long idleParkNanos() {
        long p = parkNanos;
        parkNanos = Math.min(parkNanos * 2, maxParkNanos);
        return p;
    }

    private static int longIdle(int rounds) {
        return rounds < ROUNDS_CAP ? rounds : rounds - ROUNDS_CAP / 2;
    }

    /** Rounds since work was last found, wrapped at {@link #ROUNDS_CAP} (the loop polls its event queue every 1024). */
    int idleRounds() {
        return idle;
    }
}
