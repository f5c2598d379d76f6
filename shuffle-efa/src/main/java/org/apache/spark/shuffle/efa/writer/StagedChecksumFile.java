package org.apache.spark.shuffle.efa.writer;

import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;

/**
 * Writes a staged output's per-partition checksums as Spark's checksum file, so Spark's corruption
 * diagnosis (which reads the writer's checksums from that file and the block through the resolver)
 * answers for a staged block as for a file output. Written only when Spark asks for the file,
 * which for an output that is staged happens only to diagnose a corrupt block; Spark deletes it
 * with the shuffle's other files.
 */
public final class StagedChecksumFile {
    private StagedChecksumFile() {}

    /** Writes {@code out}'s checksums to {@code file} (big-endian longs, Spark's format), atomically. */
    public static void write(StagedOutputs outputs, StagedMapOutput out, File file) throws IOException {
        StagedBlockBuffer hold = outputs.serve(out, 0, 0); // keeps the output's memory while it is read
        if (hold == null) {
            return; // its shuffle was removed
        }
        try {
            MemorySegment memory = outputs.arena().memory();
            File tmp = new File(file.getPath() + "." + ProcessHandle.current().pid() + ".tmp");
            try (OutputStream os = Files.newOutputStream(tmp.toPath());
                 DataOutputStream data = new DataOutputStream(os)) {
                for (int p = 0; p < out.numPartitions(); p++) {
                    data.writeLong(memory.get(ValueLayout.JAVA_LONG_UNALIGNED,
                            out.extent().offset() + out.checksumOffset() + 8L * p));
                }
            }
            Files.move(tmp.toPath(), file.toPath(), StandardCopyOption.ATOMIC_MOVE);
        } finally {
            hold.release();
        }
    }
}
