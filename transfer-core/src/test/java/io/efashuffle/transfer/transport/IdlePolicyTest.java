package io.efashuffle.transfer.transport;

import org.junit.jupiter.api.Test;

import static io.efashuffle.transfer.transport.IdlePolicy.Next.PARK_BRIEFLY;
import static io.efashuffle.transfer.transport.IdlePolicy.Next.POLL;
import static io.efashuffle.transfer.transport.IdlePolicy.Next.SLEEP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdlePolicyTest {
    private static final boolean IDLE = false;

    /** Empty rounds with nothing in flight until the policy says sleep; how many it took. */
    private static int roundsUntilSleep(IdlePolicy p) {
        for (int i = 1; i < 1_000_000; i++) {
            if (p.next(IDLE, false, false, true) == SLEEP) {
                return i;
            }
        }
        throw new AssertionError("never slept");
    }

    @Test
    void anIdleThreadSleepsAfterSpinIterationsEmptyPollsThenOnlyProbes() {
        IdlePolicy p = new IdlePolicy(ProgressMode.AUTO, 1000, 200, 1_000_000);
        assertEquals(1000, roundsUntilSleep(p));
        assertEquals(IdlePolicy.PROBE_ITERATIONS, roundsUntilSleep(p), "after a sleep only a short probe");
        p.next(true, false, false, true); // work found: full spinning again
        assertEquals(1000, roundsUntilSleep(p));
    }

    @Test
    void afterAParkOnePollProbes() {
        for (IdlePolicy p : new IdlePolicy[] {new IdlePolicy(ProgressMode.PARK, false, true, 1000, 200, 1_000_000),
                new IdlePolicy(ProgressMode.AUTO, false, false, 1000, 200, 1_000_000)}) { // shm: sread spins
            assertEquals(1000, roundsUntilSleep(p));
            assertEquals(1, roundsUntilSleep(p), "a park ends on a timer: one poll tells whether anything came");
            assertEquals(1, roundsUntilSleep(p));
            assertEquals(POLL, p.next(IDLE, false, true, true), "a probe that served a peer spins on");
        }
        IdlePolicy sread = new IdlePolicy(ProgressMode.AUTO, false, true, 1000, 200, 1_000_000);
        roundsUntilSleep(sread);
        assertEquals(IdlePolicy.PROBE_ITERATIONS, roundsUntilSleep(sread), "woken by traffic: probe longer");
    }

    @Test
    void parksReplacingASpinningWaitBackOffFurther() {
        TransportConfig defaults = TransportConfig.defaults("shm");
        assertEquals(IdlePolicy.SPINNING_WAIT_MAX_PARK_NANOS, longestPark(IdlePolicy.of(defaults, false, false)));
        assertEquals(defaults.maxParkMicros() * 1_000L, longestPark(IdlePolicy.of(defaults, false, true)),
                "no CQ wait object (efa): maxParkMicros as set");
        assertEquals(defaults.maxParkMicros() * 1_000L,
                longestPark(IdlePolicy.of(defaults.withProgress(ProgressMode.PARK), false, false)), "park as asked");
    }

    private static long longestPark(IdlePolicy p) {
        long longest = 0;
        for (int i = 0; i < 64; i++) {
            longest = Math.max(longest, p.idleParkNanos());
        }
        return longest;
    }

    @Test
    void aPollThatServedAPeerBuysCreditNotAReset() {
        IdlePolicy p = new IdlePolicy(ProgressMode.AUTO, 100, 200, 1_000_000);
        for (int i = 0; i < 90; i++) {
            assertEquals(POLL, p.next(IDLE, false, false, true));
        }
        assertEquals(POLL, p.next(IDLE, false, true, true)); // served: 90 - 64 = 26
        assertEquals(100 - 26, roundsUntilSleep(p));
    }

    @Test
    void withOperationsInFlightItParksBrieflyAfterBusySpinsUnlessCallersWait() {
        IdlePolicy p = new IdlePolicy(ProgressMode.AUTO, 1000, 3, 1_000_000);
        assertEquals(POLL, p.next(IDLE, true, false, true));
        assertEquals(POLL, p.next(IDLE, true, false, true));
        assertEquals(PARK_BRIEFLY, p.next(IDLE, true, false, true));
        assertEquals(POLL, p.next(IDLE, true, false, false), "a caller waits in the inbox: poll");
        assertEquals(POLL, p.next(true, true, false, true), "a completion: poll at once");
    }

    @Test
    void spinModeNeverParksOrSleeps() {
        IdlePolicy p = new IdlePolicy(ProgressMode.SPIN, 10, 1, 1_000_000);
        for (int i = 0; i < 10_000; i++) {
            assertEquals(POLL, p.next(IDLE, i % 2 == 0, false, true));
        }
    }

    @Test
    void idleParksDoubleUpToTheMaximumAndRestartAfterWork() {
        IdlePolicy p = new IdlePolicy(ProgressMode.PARK, 1, 1, 5_000);
        assertEquals(1_000, p.idleParkNanos());
        assertEquals(2_000, p.idleParkNanos());
        assertEquals(4_000, p.idleParkNanos());
        assertEquals(5_000, p.idleParkNanos());
        assertEquals(5_000, p.idleParkNanos());
        p.next(true, false, false, true);
        assertEquals(1_000, p.idleParkNanos());
    }

    @Test
    void servingIsJudgedAgainstTheFastestEmptyPollOfTheLastWindow() {
        IdlePolicy p = new IdlePolicy(ProgressMode.AUTO, 100, 1, 1_000_000);
        // Before a window is complete only the absolute floor applies.
        assertTrue(p.servedPeer(IdlePolicy.SERVING_POLL_NANOS + 1));
        assertFalse(p.servedPeer(IdlePolicy.SERVING_POLL_NANOS - 1));
        // A VM where an empty poll costs 2 µs of CPU: serving means more than 8 x 2 µs.
        for (int i = 0; i < IdlePolicy.POLL_FLOOR_WINDOW; i++) {
            p.servedPeer(2_000);
        }
        assertFalse(p.servedPeer(10_000), "5x an empty poll is noise, not a served peer");
        assertTrue(p.servedPeer(17_000));
    }

    @Test
    void whereTheProviderProgressesAnAutoThreadSleepsUntilWokenAndJudgesNoServing() {
        IdlePolicy auto = new IdlePolicy(ProgressMode.AUTO, true, 100, 3, 1_000_000);
        assertTrue(auto.sleepsUntilWoken());
        assertFalse(auto.judgesServing(), "the provider serves peers: no poll is ours to credit");
        assertEquals(100, roundsUntilSleep(auto), "a short spin still catches the caller's next request");
        assertEquals(POLL, auto.next(IDLE, true, false, true), "own reads in flight are still polled");
        assertEquals(POLL, auto.next(IDLE, true, false, true));
        assertEquals(PARK_BRIEFLY, auto.next(IDLE, true, false, true));

        for (ProgressMode explicit : new ProgressMode[] {ProgressMode.WAIT, ProgressMode.PARK, ProgressMode.SPIN}) {
            IdlePolicy p = new IdlePolicy(explicit, true, 100, 3, 1_000_000);
            assertFalse(p.sleepsUntilWoken(), explicit + " is what the user asked for");
            assertTrue(p.judgesServing());
        }
        IdlePolicy manual = new IdlePolicy(ProgressMode.AUTO, false, 100, 3, 1_000_000);
        assertFalse(manual.sleepsUntilWoken(), "tcp, shm, efa: peers need our polls");
        assertTrue(manual.judgesServing());
    }

    @Test
    void daysOfWaitingOnReadsThatNeverEndDoNotOverflowTheRoundCount() {
        IdlePolicy p = new IdlePolicy(ProgressMode.AUTO, 1000, 200, 1_000_000);
        long rounds = IdlePolicy.ROUNDS_CAP + (1L << 20); // at 50 us a round: 15 hours, past the wrap
        long eventQueuePolls = 0;
        IdlePolicy.Next last = null;
        for (long round = 0; round < rounds; round++) {
            last = p.next(IDLE, true, false, true);
            if ((p.idleRounds() & 1023) == 0) {
                eventQueuePolls++;
            }
        }
        assertEquals(PARK_BRIEFLY, last, "still waiting, still parking briefly");
        assertTrue(p.idleRounds() > 0 && p.idleRounds() < IdlePolicy.ROUNDS_CAP, "rounds: " + p.idleRounds());
        assertEquals(rounds / 1024, eventQueuePolls, "the event queue is still polled every 1024 rounds");
    }
}
