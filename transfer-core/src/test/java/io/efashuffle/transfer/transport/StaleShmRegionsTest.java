package io.efashuffle.transfer.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StaleShmRegionsTest {

    @Test
    void onlyRegionsOfProcessesThatNoLongerExistAreRemoved(@TempDir Path dir) throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long deadPid = gone.pid();
        long livePid = ProcessHandle.current().pid();
        Path stale = Files.createFile(dir.resolve(deadPid + ":0:0"));
        Path staleToo = Files.createFile(dir.resolve(deadPid + ":1:3"));
        Path live = Files.createFile(dir.resolve(livePid + ":0:0"));
        Path other = Files.createFile(dir.resolve("not-a-region"));
        Path otherShape = Files.createFile(dir.resolve(deadPid + ":0"));

        assertEquals(2, StaleShmRegions.sweep(dir));
        assertFalse(Files.exists(stale));
        assertFalse(Files.exists(staleToo));
        assertTrue(Files.exists(live), "a live process's region stays");
        assertTrue(Files.exists(other) && Files.exists(otherShape), "files of other shapes stay");
        assertEquals(0, StaleShmRegions.sweep(dir.resolve("absent")));
    }
}
