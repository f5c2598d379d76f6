package org.apache.spark.shuffle.efa.registry;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which map outputs a reader asks the driver about, against a registry kept in a map. */
class ShuffleLocationCacheTest {
    /** The registry's entries by map index, and what it was asked. */
    private final Map<Integer, MapOutputLocation> registry = new HashMap<>();
    private final List<List<Integer>> asked = new ArrayList<>();
    /** Staged, but their server has not inserted this executor yet. */
    private final java.util.Set<Integer> gated = new java.util.HashSet<>();
    private final ShuffleLocationCache cache = new ShuffleLocationCache();

    private static MapOutputLocation loc(int mapIndex, long mapId) {
        return new MapOutputLocation(1, mapIndex, mapId, "e1", "seg", 0, 10, 20, 4, 0);
    }

    private Map<Integer, MapOutputLocation> read(Map<Integer, Long> wanted) {
        return cache.staged(wanted, indexes -> {
            asked.add(List.copyOf(indexes));
            return new RegistryMessage.ShuffleLocations(1,
                    indexes.stream().filter(i -> registry.containsKey(i) && !gated.contains(i)).map(registry::get).toList(),
                    indexes.stream().filter(i -> registry.containsKey(i) && gated.contains(i)).toList());
        });
    }

    @Test
    void theFirstTaskAsksAboutItsMapsAndLaterTasksAskNothing() {
        registry.put(0, loc(0, 10));
        registry.put(1, loc(1, 11));
        assertEquals(Map.of(0, loc(0, 10), 1, loc(1, 11)), read(Map.of(0, 10L, 1, 11L)));
        assertEquals(1, asked.size());
        assertEquals(Map.of(0, loc(0, 10), 1, loc(1, 11)), read(Map.of(0, 10L, 1, 11L)));
        assertEquals(Map.of(1, loc(1, 11)), read(Map.of(1, 11L)));
        assertEquals(1, asked.size(), "asked again: " + asked);
    }

    @Test
    void onlyTheMissingMapIndexesAreAsked() {
        registry.put(0, loc(0, 10));
        registry.put(1, loc(1, 11));
        registry.put(2, loc(2, 12));
        read(Map.of(0, 10L));
        assertEquals(Map.of(0, loc(0, 10), 2, loc(2, 12)), read(Map.of(0, 10L, 2, 12L)));
        assertEquals(List.of(List.of(0), List.of(2)), asked);
    }

    @Test
    void aFileBackedMapOutputIsAskedOncePerAttempt() {
        registry.put(0, loc(0, 10)); // map 1 went to a file: no entry
        assertEquals(Map.of(0, loc(0, 10)), read(Map.of(0, 10L, 1, 11L)));
        for (int task = 0; task < 5; task++) {
            assertEquals(Map.of(0, loc(0, 10)), read(Map.of(0, 10L, 1, 11L)));
        }
        assertEquals(1, asked.size(), "a not-staged answer was not kept: " + asked);
        // Map 1 recomputed as attempt 21, staged this time: asked once, then known.
        registry.put(1, loc(1, 21));
        assertEquals(Map.of(0, loc(0, 10), 1, loc(1, 21)), read(Map.of(0, 10L, 1, 21L)));
        assertEquals(Map.of(1, loc(1, 21)), read(Map.of(1, 21L)));
        assertEquals(List.of(List.of(0, 1), List.of(1)), sorted(asked));
    }

    @Test
    void anEntryOfAnotherAttemptIsNotStagedForThisOneAndStillServesItsOwn() {
        registry.put(0, loc(0, 30)); // the registry has a newer attempt than this task's MapStatus
        assertTrue(read(Map.of(0, 10L)).isEmpty());
        assertTrue(read(Map.of(0, 10L)).isEmpty());
        assertEquals(Map.of(0, loc(0, 30)), read(Map.of(0, 30L)));
        assertEquals(1, asked.size(), "asked again: " + asked);
    }

    @Test
    void aNewAttemptOfAStagedMapIsAskedOnce() {
        registry.put(0, loc(0, 10));
        read(Map.of(0, 10L));
        registry.put(0, loc(0, 40)); // map 0 lost and recomputed
        assertEquals(Map.of(0, loc(0, 40)), read(Map.of(0, 40L)));
        assertEquals(Map.of(0, loc(0, 40)), read(Map.of(0, 40L)));
        assertEquals(2, asked.size());
    }

    @Test
    void nothingWantedAsksNothing() {
        assertTrue(read(Map.of()).isEmpty());
        assertTrue(asked.isEmpty());
    }

    private static List<List<Integer>> sorted(List<List<Integer>> lists) {
        return lists.stream().map(l -> l.stream().sorted().toList()).toList();
    }

    @Test
    void anOutputNotYetServableIsAskedAgainUntilItIs() {
        registry.put(0, loc(0, 10));
        registry.put(1, loc(1, 11));
        gated.add(1);
        assertEquals(Map.of(0, loc(0, 10)), read(Map.of(0, 10L, 1, 11L)));
        assertEquals(Map.of(0, loc(0, 10)), read(Map.of(0, 10L, 1, 11L)));
        assertEquals(List.of(List.of(0, 1), List.of(1)), asked.stream().map(l -> l.stream().sorted().toList()).toList());
        gated.clear(); // the server has inserted this executor
        assertEquals(Map.of(0, loc(0, 10), 1, loc(1, 11)), read(Map.of(0, 10L, 1, 11L)));
        read(Map.of(0, 10L, 1, 11L));
        assertEquals(3, asked.size(), "once servable, known: " + asked);
    }
}
