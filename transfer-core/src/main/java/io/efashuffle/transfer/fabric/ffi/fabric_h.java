// In the shape of jextract's output for <rdma/fabric.h> and friends (libfabric 1.17 headers,
// ABI FABRIC_1.3), kept by hand and checked against the installed headers by FfiLayoutTest (regenerate.md).
package io.efashuffle.transfer.fabric.ffi;

import java.lang.foreign.*;
import java.lang.invoke.*;

import static java.lang.foreign.ValueLayout.*;

public class fabric_h {

    fabric_h() {
        // Should not be called directly
    }

    static final Arena LIBRARY_ARENA = Arena.ofAuto();

    // jextract would use SymbolLookup.libraryLookup here; libfabric's ABI must be pinned, so
    // exported symbols are resolved with dlvsym (see LibfabricLibrary).
    static final SymbolLookup SYMBOL_LOOKUP = LibfabricLibrary::find;

    public static final ValueLayout.OfBoolean C_BOOL = ValueLayout.JAVA_BOOLEAN;
    public static final ValueLayout.OfByte C_CHAR = ValueLayout.JAVA_BYTE;
    public static final ValueLayout.OfShort C_SHORT = ValueLayout.JAVA_SHORT;
    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    public static final ValueLayout.OfLong C_LONG_LONG = ValueLayout.JAVA_LONG;
    public static final ValueLayout.OfFloat C_FLOAT = ValueLayout.JAVA_FLOAT;
    public static final ValueLayout.OfDouble C_DOUBLE = ValueLayout.JAVA_DOUBLE;
    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS
            .withTargetLayout(MemoryLayout.sequenceLayout(java.lang.Long.MAX_VALUE, JAVA_BYTE));
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;

    static MethodHandle upcallHandle(Class<?> fi, String name, FunctionDescriptor fdesc) {
        try {
            return MethodHandles.lookup().findVirtual(fi, name, fdesc.toMethodType());
        } catch (ReflectiveOperationException ex) {
            throw new AssertionError(ex);
        }
    }

    /** FI_VERSION(major, minor) */
    public static int FI_VERSION(int major, int minor) {
        return (major << 16) | minor;
    }

    /** FI_MAJOR(version) */
    public static int FI_MAJOR(int version) {
        return version >>> 16;
    }

    /** FI_MINOR(version) */
    public static int FI_MINOR(int version) {
        return version & 0xFFFF;
    }

    public static final int FI_MAJOR_VERSION = 1;
    public static final int FI_MINOR_VERSION = 17;

    private static final long FI_MSG = 1L << 1;

    public static long FI_MSG() {
        return FI_MSG;
    }

    private static final long FI_RMA = 1L << 2;

    public static long FI_RMA() {
        return FI_RMA;
    }

    private static final long FI_READ = 1L << 8;

    public static long FI_READ() {
        return FI_READ;
    }

    private static final long FI_WRITE = 1L << 9;

    public static long FI_WRITE() {
        return FI_WRITE;
    }

    private static final long FI_RECV = 1L << 10;

    public static long FI_RECV() {
        return FI_RECV;
    }

    private static final long FI_SEND = 1L << 11;

    public static long FI_SEND() {
        return FI_SEND;
    }

    private static final long FI_TRANSMIT = 1L << 11;

    public static long FI_TRANSMIT() {
        return FI_TRANSMIT;
    }

    private static final long FI_REMOTE_READ = 1L << 12;

    public static long FI_REMOTE_READ() {
        return FI_REMOTE_READ;
    }

    private static final long FI_REMOTE_WRITE = 1L << 13;

    public static long FI_REMOTE_WRITE() {
        return FI_REMOTE_WRITE;
    }

    private static final long FI_COMPLETION = 1L << 24;

    public static long FI_COMPLETION() {
        return FI_COMPLETION;
    }

    private static final long FI_DELIVERY_COMPLETE = 1L << 28;

    public static long FI_DELIVERY_COMPLETE() {
        return FI_DELIVERY_COMPLETE;
    }

    private static final long FI_HMEM = 1L << 47;

    public static long FI_HMEM() {
        return FI_HMEM;
    }

    private static final long FI_LOCAL_COMM = 1L << 51;

    public static long FI_LOCAL_COMM() {
        return FI_LOCAL_COMM;
    }

    private static final long FI_REMOTE_COMM = 1L << 52;

    public static long FI_REMOTE_COMM() {
        return FI_REMOTE_COMM;
    }

    private static final long FI_CONTEXT = 1L << 59;

    public static long FI_CONTEXT() {
        return FI_CONTEXT;
    }

    private static final long FI_CONTEXT2 = 1L << 52;

    public static long FI_CONTEXT2() {
        return FI_CONTEXT2;
    }

    private static final long FI_ADDR_NOTAVAIL = -1L;

    public static long FI_ADDR_NOTAVAIL() {
        return FI_ADDR_NOTAVAIL;
    }

    private static final int FI_MR_LOCAL = 1 << 2;

    public static int FI_MR_LOCAL() {
        return FI_MR_LOCAL;
    }

    private static final int FI_MR_RAW = 1 << 3;

    public static int FI_MR_RAW() {
        return FI_MR_RAW;
    }

    private static final int FI_MR_VIRT_ADDR = 1 << 4;

    public static int FI_MR_VIRT_ADDR() {
        return FI_MR_VIRT_ADDR;
    }

    private static final int FI_MR_ALLOCATED = 1 << 5;

    public static int FI_MR_ALLOCATED() {
        return FI_MR_ALLOCATED;
    }

    private static final int FI_MR_PROV_KEY = 1 << 6;

    public static int FI_MR_PROV_KEY() {
        return FI_MR_PROV_KEY;
    }

    private static final int FI_MR_MMU_NOTIFY = 1 << 7;

    public static int FI_MR_MMU_NOTIFY() {
        return FI_MR_MMU_NOTIFY;
    }

    private static final int FI_MR_RMA_EVENT = 1 << 8;

    public static int FI_MR_RMA_EVENT() {
        return FI_MR_RMA_EVENT;
    }

    private static final int FI_MR_ENDPOINT = 1 << 9;

    public static int FI_MR_ENDPOINT() {
        return FI_MR_ENDPOINT;
    }

    private static final int FI_MR_HMEM = 1 << 10;

    public static int FI_MR_HMEM() {
        return FI_MR_HMEM;
    }

    private static final int FI_EP_RDM = 3;

    public static int FI_EP_RDM() {
        return FI_EP_RDM;
    }

    private static final int FI_AV_TABLE = 2;

    public static int FI_AV_TABLE() {
        return FI_AV_TABLE;
    }

    private static final int FI_AV_MAP = 1;

    public static int FI_AV_MAP() {
        return FI_AV_MAP;
    }

    private static final int FI_THREAD_SAFE = 1;

    public static int FI_THREAD_SAFE() {
        return FI_THREAD_SAFE;
    }

    private static final int FI_THREAD_FID = 2;

    public static int FI_THREAD_FID() {
        return FI_THREAD_FID;
    }

    private static final int FI_THREAD_DOMAIN = 3;

    public static int FI_THREAD_DOMAIN() {
        return FI_THREAD_DOMAIN;
    }

    private static final int FI_THREAD_COMPLETION = 4;

    public static int FI_THREAD_COMPLETION() {
        return FI_THREAD_COMPLETION;
    }

    private static final int FI_THREAD_ENDPOINT = 5;

    public static int FI_THREAD_ENDPOINT() {
        return FI_THREAD_ENDPOINT;
    }

    private static final int FI_ADDR_STR = 9;

    public static int FI_ADDR_STR() {
        return FI_ADDR_STR;
    }

    private static final int FI_PROGRESS_AUTO = 1;

    public static int FI_PROGRESS_AUTO() {
        return FI_PROGRESS_AUTO;
    }

    private static final int FI_PROGRESS_MANUAL = 2;

    public static int FI_PROGRESS_MANUAL() {
        return FI_PROGRESS_MANUAL;
    }

    private static final int FI_CQ_FORMAT_CONTEXT = 1;

    public static int FI_CQ_FORMAT_CONTEXT() {
        return FI_CQ_FORMAT_CONTEXT;
    }

    private static final int FI_WAIT_NONE = 0;

    public static int FI_WAIT_NONE() {
        return FI_WAIT_NONE;
    }

    private static final int FI_WAIT_UNSPEC = 1;

    public static int FI_WAIT_UNSPEC() {
        return FI_WAIT_UNSPEC;
    }

    private static final int FI_WAIT_SET = 2;

    public static int FI_WAIT_SET() {
        return FI_WAIT_SET;
    }

    private static final int FI_WAIT_FD = 3;

    public static int FI_WAIT_FD() {
        return FI_WAIT_FD;
    }

    private static final int FI_CLASS_EP = 3;

    public static int FI_CLASS_EP() {
        return FI_CLASS_EP;
    }

    private static final int FI_CLASS_AV = 11;

    public static int FI_CLASS_AV() {
        return FI_CLASS_AV;
    }

    private static final int FI_CLASS_MR = 12;

    public static int FI_CLASS_MR() {
        return FI_CLASS_MR;
    }

    private static final int FI_CLASS_EQ = 13;

    public static int FI_CLASS_EQ() {
        return FI_CLASS_EQ;
    }

    private static final int FI_CLASS_CQ = 14;

    public static int FI_CLASS_CQ() {
        return FI_CLASS_CQ;
    }

    private static final int FI_ENABLE = 6;

    public static int FI_ENABLE() {
        return FI_ENABLE;
    }

    private static final int FI_GETWAIT = 5;

    public static int FI_GETWAIT() {
        return FI_GETWAIT;
    }

    private static final int FI_OPT_ENDPOINT = 0;

    public static int FI_OPT_ENDPOINT() {
        return FI_OPT_ENDPOINT;
    }

    private static final int FI_OPT_EFA_RNR_RETRY = -(0xefa << 16);

    public static int FI_OPT_EFA_RNR_RETRY() {
        return FI_OPT_EFA_RNR_RETRY;
    }

    private static final int FI_TYPE_INFO = 0;

    public static int FI_TYPE_INFO() {
        return FI_TYPE_INFO;
    }

    private static final int FI_SUCCESS = 0;

    public static int FI_SUCCESS() {
        return FI_SUCCESS;
    }

    private static final int FI_ENOENT = 2;

    public static int FI_ENOENT() {
        return FI_ENOENT;
    }

    private static final int FI_EIO = 5;

    public static int FI_EIO() {
        return FI_EIO;
    }

    private static final int FI_EAGAIN = 11;

    public static int FI_EAGAIN() {
        return FI_EAGAIN;
    }

    private static final int FI_ENOMEM = 12;

    public static int FI_ENOMEM() {
        return FI_ENOMEM;
    }

    private static final int FI_EINVAL = 22;

    public static int FI_EINVAL() {
        return FI_EINVAL;
    }

    private static final int FI_ENOSYS = 38;

    public static int FI_ENOSYS() {
        return FI_ENOSYS;
    }

    private static final int FI_ENODATA = 61;

    public static int FI_ENODATA() {
        return FI_ENODATA;
    }

    private static final int FI_ENOPROTOOPT = 92;

    public static int FI_ENOPROTOOPT() {
        return FI_ENOPROTOOPT;
    }

    private static final int FI_ECONNABORTED = 103;

    public static int FI_ECONNABORTED() {
        return FI_ECONNABORTED;
    }

    private static final int FI_ECONNRESET = 104;

    public static int FI_ECONNRESET() {
        return FI_ECONNRESET;
    }

    private static final int FI_ENOTCONN = 107;

    public static int FI_ENOTCONN() {
        return FI_ENOTCONN;
    }

    private static final int FI_ETIMEDOUT = 110;

    public static int FI_ETIMEDOUT() {
        return FI_ETIMEDOUT;
    }

    private static final int FI_ECONNREFUSED = 111;

    public static int FI_ECONNREFUSED() {
        return FI_ECONNREFUSED;
    }

    private static final int FI_EHOSTUNREACH = 113;

    public static int FI_EHOSTUNREACH() {
        return FI_EHOSTUNREACH;
    }

    private static final int FI_ECANCELED = 125;

    public static int FI_ECANCELED() {
        return FI_ECANCELED;
    }

    private static final int FI_EKEYREJECTED = 129;

    public static int FI_EKEYREJECTED() {
        return FI_EKEYREJECTED;
    }

    private static final int FI_ENOKEY = 266;

    public static int FI_ENOKEY() {
        return FI_ENOKEY;
    }

    private static final int FI_EOTHER = 256;

    public static int FI_EOTHER() {
        return FI_EOTHER;
    }

    private static final int FI_ETOOSMALL = 257;

    public static int FI_ETOOSMALL() {
        return FI_ETOOSMALL;
    }

    private static final int FI_EOPBADSTATE = 258;

    public static int FI_EOPBADSTATE() {
        return FI_EOPBADSTATE;
    }

    private static final int FI_EAVAIL = 259;

    public static int FI_EAVAIL() {
        return FI_EAVAIL;
    }

    private static final int FI_EBADFLAGS = 260;

    public static int FI_EBADFLAGS() {
        return FI_EBADFLAGS;
    }

    private static final int FI_ENOEQ = 261;

    public static int FI_ENOEQ() {
        return FI_ENOEQ;
    }

    private static final int FI_EDOMAIN = 262;

    public static int FI_EDOMAIN() {
        return FI_EDOMAIN;
    }

    private static final int FI_ENOCQ = 263;

    public static int FI_ENOCQ() {
        return FI_ENOCQ;
    }

    private static class fi_getinfo {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(fabric_h.C_INT, fabric_h.C_INT, fabric_h.C_POINTER, fabric_h.C_POINTER, fabric_h.C_LONG, fabric_h.C_POINTER, fabric_h.C_POINTER);

        public static final MemorySegment ADDR = fabric_h.SYMBOL_LOOKUP.findOrThrow("fi_getinfo");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    public static FunctionDescriptor fi_getinfo$descriptor() {
        return fi_getinfo.DESC;
    }

    public static MethodHandle fi_getinfo$handle() {
        return fi_getinfo.HANDLE;
    }

    public static MemorySegment fi_getinfo$address() {
        return fi_getinfo.ADDR;
    }

    public static int fi_getinfo(int version, MemorySegment node, MemorySegment service, long flags, MemorySegment hints, MemorySegment info) {
        var mh$ = fi_getinfo.HANDLE;
        try {
            return (int) mh$.invokeExact(version, node, service, flags, hints, info);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class fi_freeinfo {
        public static final FunctionDescriptor DESC = FunctionDescriptor.ofVoid(fabric_h.C_POINTER);

        public static final MemorySegment ADDR = fabric_h.SYMBOL_LOOKUP.findOrThrow("fi_freeinfo");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    public static FunctionDescriptor fi_freeinfo$descriptor() {
        return fi_freeinfo.DESC;
    }

    public static MethodHandle fi_freeinfo$handle() {
        return fi_freeinfo.HANDLE;
    }

    public static MemorySegment fi_freeinfo$address() {
        return fi_freeinfo.ADDR;
    }

    public static void fi_freeinfo(MemorySegment info) {
        var mh$ = fi_freeinfo.HANDLE;
        try {
            mh$.invokeExact(info);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class fi_dupinfo {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(fabric_h.C_POINTER, fabric_h.C_POINTER);

        public static final MemorySegment ADDR = fabric_h.SYMBOL_LOOKUP.findOrThrow("fi_dupinfo");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    public static FunctionDescriptor fi_dupinfo$descriptor() {
        return fi_dupinfo.DESC;
    }

    public static MethodHandle fi_dupinfo$handle() {
        return fi_dupinfo.HANDLE;
    }

    public static MemorySegment fi_dupinfo$address() {
        return fi_dupinfo.ADDR;
    }

    public static MemorySegment fi_dupinfo(MemorySegment info) {
        var mh$ = fi_dupinfo.HANDLE;
        try {
            return (MemorySegment) mh$.invokeExact(info);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class fi_fabric {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(fabric_h.C_INT, fabric_h.C_POINTER, fabric_h.C_POINTER, fabric_h.C_POINTER);

        public static final MemorySegment ADDR = fabric_h.SYMBOL_LOOKUP.findOrThrow("fi_fabric");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    public static FunctionDescriptor fi_fabric$descriptor() {
        return fi_fabric.DESC;
    }

    public static MethodHandle fi_fabric$handle() {
        return fi_fabric.HANDLE;
    }

    public static MemorySegment fi_fabric$address() {
        return fi_fabric.ADDR;
    }

    public static int fi_fabric(MemorySegment attr, MemorySegment fabric, MemorySegment context) {
        var mh$ = fi_fabric.HANDLE;
        try {
            return (int) mh$.invokeExact(attr, fabric, context);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class fi_version {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(fabric_h.C_INT);

        public static final MemorySegment ADDR = fabric_h.SYMBOL_LOOKUP.findOrThrow("fi_version");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    public static FunctionDescriptor fi_version$descriptor() {
        return fi_version.DESC;
    }

    public static MethodHandle fi_version$handle() {
        return fi_version.HANDLE;
    }

    public static MemorySegment fi_version$address() {
        return fi_version.ADDR;
    }

    public static int fi_version() {
        var mh$ = fi_version.HANDLE;
        try {
            return (int) mh$.invokeExact();
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class fi_strerror {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(fabric_h.C_POINTER, fabric_h.C_INT);

        public static final MemorySegment ADDR = fabric_h.SYMBOL_LOOKUP.findOrThrow("fi_strerror");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    public static FunctionDescriptor fi_strerror$descriptor() {
        return fi_strerror.DESC;
    }

    public static MethodHandle fi_strerror$handle() {
        return fi_strerror.HANDLE;
    }

    public static MemorySegment fi_strerror$address() {
        return fi_strerror.ADDR;
    }

    public static MemorySegment fi_strerror(int errnum) {
        var mh$ = fi_strerror.HANDLE;
        try {
            return (MemorySegment) mh$.invokeExact(errnum);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }

    private static class fi_tostr {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(fabric_h.C_POINTER, fabric_h.C_POINTER, fabric_h.C_INT);

        public static final MemorySegment ADDR = fabric_h.SYMBOL_LOOKUP.findOrThrow("fi_tostr");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    public static FunctionDescriptor fi_tostr$descriptor() {
        return fi_tostr.DESC;
    }

    public static MethodHandle fi_tostr$handle() {
        return fi_tostr.HANDLE;
    }

    public static MemorySegment fi_tostr$address() {
        return fi_tostr.ADDR;
    }

    public static MemorySegment fi_tostr(MemorySegment data, int datatype) {
        var mh$ = fi_tostr.HANDLE;
        try {
            return (MemorySegment) mh$.invokeExact(data, datatype);
        } catch (Error | RuntimeException ex) {
           throw ex;
        } catch (Throwable ex$) {
           throw new AssertionError("should not reach here", ex$);
        }
    }
}
