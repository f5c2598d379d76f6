package org.apache.spark.shuffle.efa.sparkapi;

/**
 * Throws Spark's exceptions from Java code that cannot declare them: Scala declares none, so
 * Spark's {@code FetchFailedException} is a checked exception in Java's eyes only.
 */
public final class Unchecked {
    private Unchecked() {}

    /** Throws {@code t} as it is; the return type lets callers write {@code throw Unchecked.raise(t)}. */
    public static RuntimeException raise(Throwable t) {
        return Unchecked.<RuntimeException>raiseAs(t);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException raiseAs(Throwable t) throws T {
        throw (T) t;
    }
}
