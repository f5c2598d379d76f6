package io.efashuffle.transfer.transport;

/**
 * How a rail's progress thread waits when it has nothing in flight.
 * <ul>
 *   <li>AUTO: spin briefly, then: where the provider progresses by itself (fi_getinfo's data and
 *       control progress both FI_PROGRESS_AUTO) sleep until there is work of ours; else block in
 *       fi_cq_sread when the CQ has a wait object; else PARK.</li>
 *   <li>SPIN: never sleep (lowest latency, costs a core).</li>
 *   <li>WAIT: spin briefly, then fi_cq_sread; fails at start when the provider has no wait object.</li>
 *   <li>PARK: spin briefly, then park with exponential back-off (providers without wait objects).</li>
 * </ul>
 */
public enum ProgressMode { AUTO, SPIN, WAIT, PARK }
