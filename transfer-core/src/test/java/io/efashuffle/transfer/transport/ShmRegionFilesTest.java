package io.efashuffle.transfer.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShmRegionFilesTest {

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

        assertEquals(2, ShmRegionFiles.sweep(dir));
        assertFalse(Files.exists(stale));
        assertFalse(Files.exists(staleToo));
        assertTrue(Files.exists(live), "a live process's region stays");
        assertTrue(Files.exists(other) && Files.exists(otherShape), "files of other shapes stay");
        assertEquals(0, ShmRegionFiles.sweep(dir.resolve("absent")));
    }

    @Test
    void aProcessUnlinksOnlyItsOwnRegions(@TempDir Path dir) throws Exception {
        Path mine = Files.createFile(dir.resolve("4242:0:0"));
        Path mineToo = Files.createFile(dir.resolve("4242:1:0"));
        Path other = Files.createFile(dir.resolve("42420:0:0"));
        Path notARegion = Files.createFile(dir.resolve("4242:notes"));
        assertEquals(2, ShmRegionFiles.unlinkOwn(dir, 4242));
        assertFalse(Files.exists(mine) || Files.exists(mineToo));
        assertTrue(Files.exists(other) && Files.exists(notARegion));
    }
}
