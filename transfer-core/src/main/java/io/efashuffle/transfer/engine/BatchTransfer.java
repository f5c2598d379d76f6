package io.efashuffle.transfer.engine;

import java.util.concurrent.CompletableFuture;

/** A {@link Transfer} over one internal batch (none for an empty submit). */
final class BatchTransfer implements Transfer {
    static final BatchTransfer EMPTY = new BatchTransfer(null);

    private final Batch batch;

    BatchTransfer(Batch batch) {
        this.batch = batch;
    }

    @Override
    public CompletableFuture<Void> done() {
        return batch == null ? CompletableFuture.completedFuture(null) : batch.completion();
    }

    @Override
    public CompletableFuture<Void> released() {
        return batch == null ? CompletableFuture.completedFuture(null) : batch.released();
    }

    @Override
    public RuntimeException error(int i) {
        return batch == null ? null : batch.tasks[i].error();
    }

    @Override
    public boolean isDone(int i) {
        return batch == null || batch.tasks[i].isDone();
    }

    @Override
    public int size() {
        return batch == null ? 0 : batch.size();
    }
}
