package org.apache.spark.shuffle.efa.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What one executor learned from the driver registry about one shuffle's map outputs, so that its
 * tasks ask the driver only about map outputs that could have changed, and only for those entries.
 *
 * <p>Per map index it keeps the last answer: the attempt (map id) asked about and the registry's
 * entry, if any. That answer stays right for that attempt: a map task sends its location ahead
 * of its status update (same connection, and the registry's inbox is FIFO), so by the time a
 * reader sees attempt X in a MapStatus the registry already has X's entry or never will (X went
 * to a file). A task that sees another attempt (a recomputed
 * map) asks once. An output staged on a server that has not inserted this executor yet
 * ({@code peers.insertAhead}) is no answer: later tasks ask again, so it comes back to the fabric
 * once the server has synced. An entry withdrawn later (its executor's fabric failed) is caught when the read
 * fails (the executor's {@code PeerProbes} ask the driver whether its segment is still listed).
 *
 * <p>Thread-safe. Two tasks asking about the same index at once both ask; the later answer wins,
 * at worst costing one more ask.
 */
public final class ShuffleLocationCache {
    /** The registry's entry ({@code null}: none) when asked about attempt {@code mapId}. */
    private record Answer(long mapId, MapOutputLocation location) {
        MapOutputLocation stagedFor(long attempt) {
            return location != null && location.mapId() == attempt ? location : null;
        }

        boolean answers(long attempt) {
            return mapId == attempt || stagedFor(attempt) != null;
        }
    }

    private final Map<Integer, Answer> answers = new ConcurrentHashMap<>();

    /**
     * The staged location of each wanted map output (map index to map id) that has one, for that
     * very attempt; {@code ask} gets the registry's entries for the map indexes given, and is
     * called at most once, only with the indexes this cache has no answer for.
     */
    public Map<Integer, MapOutputLocation> staged(Map<Integer, Long> wanted,
                                                  Function<List<Integer>, RegistryMessage.ShuffleLocations> ask) {
        Map<Integer, MapOutputLocation> out = new HashMap<>(wanted.size() * 2);
        List<Integer> unknown = new ArrayList<>();
        wanted.forEach((mapIndex, mapId) -> {
            Answer a = answers.get(mapIndex);
            if (a == null || !a.answers(mapId)) {
                unknown.add(mapIndex);
            } else if (a.stagedFor(mapId) != null) {
                out.put(mapIndex, a.stagedFor(mapId));
            }
        });
        if (unknown.isEmpty()) {
            return out;
        }
        Map<Integer, MapOutputLocation> found = new HashMap<>();
        RegistryMessage.ShuffleLocations reply = ask.apply(unknown);
        for (MapOutputLocation loc : reply.locations()) {
            found.put(loc.mapIndex(), loc);
        }
        Set<Integer> notYet = Set.copyOf(reply.notYetServable());
        for (int mapIndex : unknown) {
            if (notYet.contains(mapIndex)) {
                continue; // staged, not yet servable to this executor: no answer kept, the next task asks again
            }
            // This task's own answer, not a re-read of the cache: another task may overwrite it.
            Answer a = new Answer(wanted.get(mapIndex), found.get(mapIndex));
            answers.put(mapIndex, a);
            if (a.stagedFor(a.mapId()) != null) {
                out.put(mapIndex, a.location());
            }
        }
        return out;
    }
}
