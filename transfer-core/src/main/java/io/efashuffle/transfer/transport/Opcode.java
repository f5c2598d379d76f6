package io.efashuffle.transfer.transport;

/** One-sided operations: READ pulls remote bytes into local memory, WRITE pushes local bytes. */
public enum Opcode { READ, WRITE }
