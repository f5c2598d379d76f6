/*
 * fi_read_yardstick: the native C measure the Java engine's READ throughput is compared with.
 *
 *   usage: fi_read_yardstick PROVIDER BLOCK_BYTES WINDOW TOTAL_MIB [TIMEOUT_SECONDS]
 *   build: gcc -O2 -Wall -Wextra -o fi_read_yardstick fi_read_yardstick.c -lfabric
 *
 * Two processes on one machine. The child is the target: it registers a buffer for remote reads
 * and spins on its completion queue until told to stop, because software providers
 * (tcp;ofi_rxm, sockets) serve a remote read only while the target makes progress. The parent
 * is the initiator: it keeps WINDOW fi_read calls of BLOCK_BYTES in flight until TOTAL_MIB MiB
 * are read and prints one line ending in "GB/s=<10^9 bytes per second>" (the line NativeReadBench
 * parses). Exit status 0 on success; any failure, including the watchdog firing, prints a reason
 * on stderr and exits non-zero, and the other process follows when the socket between them closes.
 *
 * Written against the libfabric 1.17 API (requested as FI_VERSION(1, 17), which 2.x still serves).
 * It honours what fi_getinfo answers: FI_CONTEXT/FI_CONTEXT2 (one fi_context2 per operation),
 * FI_MR_LOCAL (descriptors for the local buffer), FI_MR_VIRT_ADDR (addresses rather than
 * offsets), FI_MR_PROV_KEY (provider keys rather than ours), FI_MR_ENDPOINT (bind and enable),
 * FI_MR_ALLOCATED (buffers are allocated before registration) and -FI_EAGAIN (progress, retry).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rdma/fabric.h>
#include <rdma/fi_cm.h>
#include <rdma/fi_domain.h>
#include <rdma/fi_endpoint.h>
#include <rdma/fi_errno.h>
#include <rdma/fi_rma.h>

#define API_VERSION FI_VERSION(1, 17)
/* The MR modes this program implements; the provider answers with the subset it needs. */
#define SUPPORTED_MR_MODE (FI_MR_LOCAL | FI_MR_VIRT_ADDR | FI_MR_ALLOCATED | FI_MR_PROV_KEY | FI_MR_ENDPOINT)
/* The target exposes at least this much, so reads cycle over more memory than a cache holds. */
#define MIN_TARGET_BYTES ((size_t) 64 << 20)
#define CQ_BATCH 64
#define DEFAULT_TIMEOUT_SECONDS 300

static const char *role = "yardstick";
static volatile pid_t target_pid; /* set in the initiator, so the watchdog can end the target too */

static void fail(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "fi_read_yardstick %s: ", role);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void check(int rc, const char *what) {
    if (rc != 0) {
        fail("%s: %s (%d)", what, fi_strerror(rc < 0 ? -rc : rc), rc);
    }
}

static void on_alarm(int sig) {
    static const char msg[] = "fi_read_yardstick: watchdog expired, giving up\n";
    (void) sig;
    if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {
        /* nothing left to report to */
    }
    if (target_pid > 0) {
        kill(target_pid, SIGKILL);
    }
    _exit(3);
}

static void start_watchdog(unsigned seconds) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    alarm(seconds);
}

/* ---- the socket between the two processes: addresses and keys out, "done" back ---- */

static void send_all(int fd, const void *buf, size_t len) {
    const char *p = buf;
    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            fail("send to peer process: %s", n < 0 ? strerror(errno) : "closed");
        }
        p += n;
        len -= (size_t) n;
    }
}

static void recv_all(int fd, void *buf, size_t len) {
    char *p = buf;
    while (len > 0) {
        ssize_t n = recv(fd, p, len, 0);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            fail("receive from peer process: %s", n < 0 ? strerror(errno) : "peer exited");
        }
        p += n;
        len -= (size_t) n;
    }
}

/* What the target tells the initiator: where to read and with which key. */
struct target_offer {
    uint64_t base;   /* virtual address or 0, depending on FI_MR_VIRT_ADDR */
    uint64_t length; /* bytes readable from base */
    uint64_t key;
    uint64_t name_len;
    char name[256];  /* the target endpoint's fi_getname */
};

/* ---- libfabric objects of one process ---- */

struct fabric_side {
    struct fi_info *info;
    struct fid_fabric *fabric;
    struct fid_domain *domain;
    struct fid_cq *cq;
    struct fid_av *av;
    struct fid_ep *ep;
};

static int uses_loopback_domain(const char *provider) {
    /* Software providers pick the first NIC otherwise; "lo" keeps the traffic on this machine. */
    return strcmp(provider, "tcp") == 0 || strcmp(provider, "sockets") == 0;
}

static void open_side(struct fabric_side *s, const char *provider, size_t window) {
    struct fi_info *hints = fi_allocinfo();
    if (hints == NULL) {
        fail("fi_allocinfo: out of memory");
    }
    hints->caps = FI_RMA | FI_READ | FI_REMOTE_READ;
    hints->mode = FI_CONTEXT | FI_CONTEXT2;
    hints->ep_attr->type = FI_EP_RDM;
    hints->domain_attr->mr_mode = SUPPORTED_MR_MODE;
    hints->domain_attr->threading = FI_THREAD_DOMAIN;
    hints->fabric_attr->prov_name = strdup(provider); /* fi_freeinfo frees it */
    if (uses_loopback_domain(provider)) {
        hints->domain_attr->name = strdup("lo");
    }
    int rc = fi_getinfo(API_VERSION, NULL, NULL, 0, hints, &s->info);
    fi_freeinfo(hints);
    if (rc == -FI_ENODATA) {
        fail("provider '%s' offers no RDM endpoint with RMA reads here", provider);
    }
    check(rc, "fi_getinfo");

    check(fi_fabric(s->info->fabric_attr, &s->fabric, NULL), "fi_fabric");
    check(fi_domain(s->fabric, s->info, &s->domain, NULL), "fi_domain");

    struct fi_cq_attr cq_attr;
    memset(&cq_attr, 0, sizeof cq_attr);
    cq_attr.format = FI_CQ_FORMAT_CONTEXT;
    cq_attr.wait_obj = FI_WAIT_NONE; /* both sides busy-poll */
    cq_attr.size = window * 2 > 1024 ? window * 2 : 1024;
    check(fi_cq_open(s->domain, &cq_attr, &s->cq, NULL), "fi_cq_open");

    struct fi_av_attr av_attr;
    memset(&av_attr, 0, sizeof av_attr);
    av_attr.type = FI_AV_TABLE;
    av_attr.count = 2;
    check(fi_av_open(s->domain, &av_attr, &s->av, NULL), "fi_av_open");

    check(fi_endpoint(s->domain, s->info, &s->ep, NULL), "fi_endpoint");
    check(fi_ep_bind(s->ep, &s->cq->fid, FI_TRANSMIT | FI_RECV), "fi_ep_bind(cq)");
    check(fi_ep_bind(s->ep, &s->av->fid, 0), "fi_ep_bind(av)");
    check(fi_enable(s->ep), "fi_enable");
}

static void close_fid(struct fid *fid, const char *what) {
    if (fid != NULL) {
        check(fi_close(fid), what);
    }
}

static void close_side(struct fabric_side *s) {
    close_fid(s->ep ? &s->ep->fid : NULL, "fi_close(ep)");
    close_fid(s->av ? &s->av->fid : NULL, "fi_close(av)");
    close_fid(s->cq ? &s->cq->fid : NULL, "fi_close(cq)");
    close_fid(s->domain ? &s->domain->fid : NULL, "fi_close(domain)");
    close_fid(s->fabric ? &s->fabric->fid : NULL, "fi_close(fabric)");
    fi_freeinfo(s->info);
    memset(s, 0, sizeof *s);
}

static uint64_t mr_mode(const struct fabric_side *s) {
    return (uint64_t) s->info->domain_attr->mr_mode;
}

/* Registers buf; our_key is used only where the provider lets the application choose keys. */
static struct fid_mr *register_buffer(struct fabric_side *s, void *buf, size_t len, uint64_t access,
                                      uint64_t our_key) {
    struct fid_mr *mr;
    uint64_t key = (mr_mode(s) & FI_MR_PROV_KEY) ? 0 : our_key;
    check(fi_mr_reg(s->domain, buf, len, access, 0, key, 0, &mr, NULL), "fi_mr_reg");
    if (mr_mode(s) & FI_MR_ENDPOINT) {
        check(fi_mr_bind(mr, &s->ep->fid, 0), "fi_mr_bind");
        check(fi_mr_enable(mr), "fi_mr_enable");
    }
    return mr;
}

static void *allocate(size_t len, unsigned char fill) {
    void *p;
    int rc = posix_memalign(&p, 4096, len);
    if (rc != 0) {
        fail("posix_memalign(%zu): %s", len, strerror(rc));
    }
    memset(p, fill, len); /* touch every page: first-touch faults stay out of the measurement */
    return p;
}

/* Reads one completion batch. Returns completions seen (0 if none); fails on an error entry. */
static size_t drain_cq(struct fid_cq *cq, struct fi_cq_entry *entries) {
    ssize_t n = fi_cq_read(cq, entries, CQ_BATCH);
    if (n > 0) {
        return (size_t) n;
    }
    if (n == -FI_EAGAIN) {
        return 0;
    }
    if (n == -FI_EAVAIL) {
        struct fi_cq_err_entry err;
        memset(&err, 0, sizeof err);
        if (fi_cq_readerr(cq, &err, 0) > 0) {
            fail("completion error: %s (provider: %s)", fi_strerror(err.err),
                 fi_cq_strerror(cq, err.prov_errno, err.err_data, NULL, 0));
        }
        fail("fi_cq_readerr returned nothing after -FI_EAVAIL");
    }
    fail("fi_cq_read: %s (%zd)", fi_strerror((int) -n), n);
    return 0;
}

/* ---- target: expose a buffer, progress until the initiator is done ---- */

static int peer_finished(int sock) {
    char byte;
    ssize_t n = recv(sock, &byte, 1, MSG_DONTWAIT);
    return n == 1 || n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

static int run_target(int sock, const char *provider, size_t window, size_t length) {
    role = "target";
    struct fabric_side s;
    memset(&s, 0, sizeof s);
    open_side(&s, provider, window);

    char *buf = allocate(length, 0x5a);
    struct fid_mr *mr = register_buffer(&s, buf, length, FI_REMOTE_READ, 1);

    struct target_offer offer;
    memset(&offer, 0, sizeof offer);
    offer.base = (mr_mode(&s) & FI_MR_VIRT_ADDR) ? (uint64_t) (uintptr_t) buf : 0;
    offer.length = length;
    offer.key = fi_mr_key(mr);
    if (offer.key == FI_KEY_NOTAVAIL) {
        fail("fi_mr_key: key not available (raw keys are not supported)");
    }
    size_t name_len = sizeof offer.name;
    check(fi_getname(&s.ep->fid, offer.name, &name_len), "fi_getname");
    offer.name_len = name_len;
    send_all(sock, &offer, sizeof offer);

    struct fi_cq_entry entries[CQ_BATCH];
    for (unsigned long spins = 0;; spins++) {
        drain_cq(s.cq, entries); /* this call is what serves the reads on software providers */
        if ((spins & 255) == 0 && peer_finished(sock)) {
            break;
        }
    }

    close_fid(&mr->fid, "fi_close(mr)");
    close_side(&s);
    free(buf);
    return 0;
}

/* ---- initiator: WINDOW reads in flight until TOTAL bytes are read ---- */

struct read_plan {
    size_t block;
    size_t window;
    size_t ops; /* reads to complete in the measurement */
};

struct reader {
    struct fabric_side *side;
    fi_addr_t target;
    const struct target_offer *offer;
    char *local;
    void *desc;                   /* NULL unless FI_MR_LOCAL */
    struct fi_context2 *contexts; /* one per window slot: FI_CONTEXT/FI_CONTEXT2 */
    size_t *free_slots;
    size_t free_count;
    size_t remote_blocks;         /* reads cycle over this many blocks of the target buffer */
};

/* Posts one read into a free slot. Returns 0, or -FI_EAGAIN when the provider is full. */
static ssize_t post_read(struct reader *r, size_t block, size_t sequence) {
    size_t slot = r->free_slots[r->free_count - 1];
    uint64_t remote = r->offer->base + (uint64_t) (sequence % r->remote_blocks) * block;
    ssize_t rc = fi_read(r->side->ep, r->local + slot * block, block, r->desc, r->target, remote,
                         r->offer->key, &r->contexts[slot]);
    if (rc == 0) {
        r->free_count--;
    } else if (rc != -FI_EAGAIN) {
        fail("fi_read: %s (%zd)", fi_strerror((int) -rc), rc);
    }
    return rc;
}

/* Progresses the CQ once, returning finished slots to the free list. Returns completions seen. */
static size_t reap(struct reader *r, struct fi_cq_entry *entries) {
    size_t n = drain_cq(r->side->cq, entries);
    for (size_t i = 0; i < n; i++) {
        struct fi_context2 *ctx = entries[i].op_context;
        r->free_slots[r->free_count++] = (size_t) (ctx - r->contexts);
    }
    return n;
}

/* Keeps up to plan->window reads in flight until `ops` complete. */
static void read_ops(struct reader *r, size_t block, size_t ops) {
    struct fi_cq_entry entries[CQ_BATCH];
    size_t posted = 0, completed = 0;
    while (completed < ops) {
        while (posted < ops && r->free_count > 0) {
            if (post_read(r, block, posted) == -FI_EAGAIN) {
                break; /* back-pressure: progress the CQ below, then retry */
            }
            posted++;
        }
        completed += reap(r, entries);
    }
}

static double seconds_since(const struct timespec *t0) {
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double) (t1.tv_sec - t0->tv_sec) + (double) (t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static int run_initiator(int sock, const char *provider, const struct read_plan *plan) {
    role = "initiator";
    struct fabric_side s;
    memset(&s, 0, sizeof s);
    open_side(&s, provider, plan->window);

    struct target_offer offer;
    recv_all(sock, &offer, sizeof offer);
    if (offer.name_len > sizeof offer.name) {
        fail("target address of %" PRIu64 " bytes does not fit", offer.name_len);
    }
    struct reader r;
    memset(&r, 0, sizeof r);
    r.side = &s;
    r.offer = &offer;
    r.remote_blocks = offer.length / plan->block;
    if (fi_av_insert(s.av, offer.name, 1, &r.target, 0, NULL) != 1) {
        fail("fi_av_insert: the target's address was not accepted");
    }

    size_t local_len = plan->block * plan->window;
    r.local = allocate(local_len, 0);
    struct fid_mr *mr = NULL;
    if (mr_mode(&s) & FI_MR_LOCAL) {
        mr = register_buffer(&s, r.local, local_len, FI_READ, 2);
        r.desc = fi_mr_desc(mr);
    }
    r.contexts = calloc(plan->window, sizeof *r.contexts);
    r.free_slots = calloc(plan->window, sizeof *r.free_slots);
    if (r.contexts == NULL || r.free_slots == NULL) {
        fail("out of memory for %zu slots", plan->window);
    }
    for (size_t i = 0; i < plan->window; i++) {
        r.free_slots[r.free_count++] = i;
    }

    /* One read first: connection-oriented providers (tcp;ofi_rxm) connect on the first operation. */
    read_ops(&r, plan->block, 1);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    read_ops(&r, plan->block, plan->ops);
    double seconds = seconds_since(&t0);

    double bytes = (double) plan->ops * (double) plan->block;
    printf("fi_read_yardstick provider=%s prov_name=%s block=%zu window=%zu bytes=%.0f seconds=%.3f GB/s=%.3f\n",
           provider, s.info->fabric_attr->prov_name, plan->block, plan->window, bytes, seconds,
           bytes / seconds / 1e9);
    fflush(stdout);

    send_all(sock, "d", 1); /* the target may stop progressing now */
    if (mr != NULL) {
        close_fid(&mr->fid, "fi_close(mr)");
    }
    close_side(&s);
    free(r.contexts);
    free(r.free_slots);
    free(r.local);
    return 0;
}

/* ---- command line ---- */

static unsigned long long parse_positive(const char *text, const char *name) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno != 0 || *end != '\0' || v == 0 || text[0] == '-') {
        fprintf(stderr, "fi_read_yardstick: %s must be a positive integer, got '%s'\n", name, text);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv) {
    if (argc < 5 || argc > 6) {
        fprintf(stderr, "usage: %s PROVIDER BLOCK_BYTES WINDOW TOTAL_MIB [TIMEOUT_SECONDS]\n"
                        "  e.g. %s tcp 1048576 32 1024   (PROVIDER: tcp, shm, sockets, efa)\n",
                argv[0], argv[0]);
        return 2;
    }
    const char *provider = argv[1];
    struct read_plan plan;
    plan.block = (size_t) parse_positive(argv[2], "BLOCK_BYTES");
    plan.window = (size_t) parse_positive(argv[3], "WINDOW");
    unsigned long long total_mib = parse_positive(argv[4], "TOTAL_MIB");
    unsigned timeout = argc > 5 ? (unsigned) parse_positive(argv[5], "TIMEOUT_SECONDS") : DEFAULT_TIMEOUT_SECONDS;
    if (plan.window > (1u << 16) || plan.block > ((size_t) 1 << 30)) {
        fprintf(stderr, "fi_read_yardstick: WINDOW at most 65536 and BLOCK_BYTES at most 1 GiB\n");
        return 2;
    }
    plan.ops = (size_t) ((total_mib << 20) / plan.block);
    if (plan.ops == 0) {
        plan.ops = 1;
    }
    size_t target_len = plan.block * plan.window;
    if (target_len < MIN_TARGET_BYTES) {
        target_len = MIN_TARGET_BYTES / plan.block * plan.block;
        if (target_len == 0) {
            target_len = plan.block;
        }
    }

    /* Fork before any libfabric call: each process initialises its own provider state. */
    int socks[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, socks) != 0) {
        fail("socketpair: %s", strerror(errno));
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        fail("fork: %s", strerror(errno));
    }
    if (pid == 0) {
        close(socks[0]);
        start_watchdog(timeout);
        int rc = run_target(socks[1], provider, plan.window, target_len);
        close(socks[1]);
        return rc;
    }
    close(socks[1]);
    target_pid = pid;
    start_watchdog(timeout);
    int rc = run_initiator(socks[0], provider, &plan);
    close(socks[0]);

    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            fail("waitpid: %s", strerror(errno));
        }
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "fi_read_yardstick: the target process failed (status %d)\n", status);
        return 1;
    }
    return rc;
}
