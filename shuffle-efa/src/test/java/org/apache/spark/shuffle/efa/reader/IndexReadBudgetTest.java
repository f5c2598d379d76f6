package org.apache.spark.shuffle.efa.reader;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IndexReadBudgetTest {
    @Test
    void wholeIndexesAreReadWhileTheyAddNoBatch() {
        // Three ranges of 100 bytes need one 4096-byte batch; whole indexes of 1600 bytes fill it.
        IndexReadBudget budget = new IndexReadBudget(4096, 300);
        budget.next(100);
        assertTrue(budget.wholeFits(1600)); // 1600 + 200 still to come
        budget.spend(1600);
        budget.next(100);
        assertTrue(budget.wholeFits(1600)); // 3200 + 100
        budget.spend(1600);
        budget.next(100);
        assertFalse(budget.wholeFits(1600), "a third would need a second batch");
        budget.spend(100); // its range instead
    }

    @Test
    void theRangesStillToComeAreKeptRoomFor() {
        IndexReadBudget budget = new IndexReadBudget(1000, 900);
        budget.next(100);
        assertTrue(budget.wholeFits(200), "200 + the 800 bytes of ranges to come fill one batch");
        assertFalse(budget.wholeFits(201), "201 would need a second");
    }

    @Test
    void aTaskWithRangesOfSeveralBatchesMayFillTheLast() {
        IndexReadBudget budget = new IndexReadBudget(1000, 1100); // two batches anyway
        budget.next(1000);
        budget.spend(1000);
        budget.next(100);
        assertTrue(budget.wholeFits(1000));
        assertFalse(budget.wholeFits(1001));
    }

    @Test
    void aTaskWithNoRangesStillHasOneBatch() {
        IndexReadBudget budget = new IndexReadBudget(512, 0);
        assertTrue(budget.wholeFits(512));
        assertFalse(budget.wholeFits(513));
    }
}
