package io.efashuffle.transfer.tools;
public class TransferCli { public static void main(String[] a) { System.out.println("hi"); } }
