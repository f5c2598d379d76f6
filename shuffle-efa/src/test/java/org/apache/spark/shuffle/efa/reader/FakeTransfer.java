package org.apache.spark.shuffle.efa.reader;

import io.efashuffle.transfer.engine.Transfer;

import java.util.concurrent.CompletableFuture;

/** A transfer whose outcome and release the test decides. */
final class FakeTransfer implements Transfer {
    final CompletableFuture<Void> done = new CompletableFuture<>();
    final CompletableFuture<Void> released = new CompletableFuture<>();
    final RuntimeException[] errors;

    FakeTransfer(int size) {
        errors = new RuntimeException[size];
    }

    static FakeTransfer ok(int size) {
        FakeTransfer t = new FakeTransfer(size);
        t.released.complete(null);
        t.done.complete(null);
        return t;
    }

    /** Request {@code i} failed; released says whether the provider let go of it already. */
    static FakeTransfer failed(int size, int i, RuntimeException e, boolean released) {
        FakeTransfer t = new FakeTransfer(size);
        t.errors[i] = e;
        if (released) {
            t.released.complete(null);
        }
        t.done.completeExceptionally(e);
        return t;
    }

    static FakeTransfer pending(int size) {
        return new FakeTransfer(size);
    }

    @Override
    public CompletableFuture<Void> done() {
        return done;
    }

    @Override
    public CompletableFuture<Void> released() {
        return released;
    }

    @Override
    public RuntimeException error(int i) {
        return done.isDone() ? errors[i] : null;
    }

    @Override
    public boolean isDone(int i) {
        return done.isDone();
    }

    @Override
    public int size() {
        return errors.length;
    }
}
