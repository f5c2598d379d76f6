package org.apache.spark.shuffle.efa.registry;

import java.util.Arrays;
import java.util.StringJoiner;

/** Values of every {@link ShuffleCounter}: one task's, or totals summed over tasks. Immutable. */
public final class ShuffleCounts {
    private static final ShuffleCounter[] COUNTERS = ShuffleCounter.values();
    public static final int SIZE = COUNTERS.length;
    public static final ShuffleCounts ZERO = new ShuffleCounts(new long[SIZE]);

    private final long[] values;

    private ShuffleCounts(long[] values) {
        this.values = values;
    }

    /** Values in {@link ShuffleCounter} order. */
    static ShuffleCounts of(long[] values) {
        if (values.length != SIZE) {
            throw new IllegalArgumentException(values.length + " counter values, expected " + SIZE);
        }
        return new ShuffleCounts(values.clone());
    }

    public static ShuffleCounts of(ShuffleCounter counter, long value) {
        long[] v = new long[SIZE];
        v[counter.ordinal()] = value;
        return new ShuffleCounts(v);
    }

    public long get(ShuffleCounter counter) {
        return values[counter.ordinal()];
    }

    public ShuffleCounts plus(ShuffleCounts o) {
        long[] sum = values.clone();
        for (int i = 0; i < SIZE; i++) {
            sum[i] += o.values[i];
        }
        return new ShuffleCounts(sum);
    }

    public boolean isZero() {
        return equals(ZERO);
    }

    /** Values in {@link ShuffleCounter} order. */
    long[] toArray() {
        return values.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShuffleCounts c && Arrays.equals(values, c.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringJoiner s = new StringJoiner(", ", "ShuffleCounts[", "]");
        for (ShuffleCounter c : COUNTERS) {
            s.add(c.metric + "=" + values[c.ordinal()]);
        }
        return s.toString();
    }

    /** One task's counters as it goes; used by one thread. */
    public static final class Tally {
        private final long[] values = new long[SIZE];

        public void add(ShuffleCounter counter, long n) {
            values[counter.ordinal()] += n;
        }

        public void increment(ShuffleCounter counter) {
            values[counter.ordinal()]++;
        }

        public ShuffleCounts snapshot() {
            return new ShuffleCounts(values.clone());
        }
    }
}
