/* poll.c — epoll readiness and driver timers (see poll.h). */
#define _GNU_SOURCE
#include "poll.h"
#include "timer.h"
#include <errno.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/syscall.h>

typedef struct {
    TbPollFn fn;
    void *arg;
    unsigned events;           /* watched; 0 = free slot */
    uint32_t gen;              /* bumped on every (re)registration: stale events are dropped */
    bool in_epoll, always, passive;
} PollEnt;

static int epfd = -1;
static PollEnt *ents;
static int nents;
static unsigned n_active, n_always;

static PollEnt *ent(int fd) {
    if (fd >= nents) {
        int n = nents ? nents : 64;
        while (n <= fd) n *= 2;
        PollEnt *e = realloc(ents, (size_t)n * sizeof *e);
        if (!e) abort();
        memset(e + nents, 0, (size_t)(n - nents) * sizeof *e);
        ents = e;
        nents = n;
    }
    return &ents[fd];
}

static uint32_t ep_events(unsigned ev) {
    return (ev & TB_POLL_IN ? EPOLLIN : 0) | (ev & TB_POLL_OUT ? EPOLLOUT : 0);
}

static void forget(PollEnt *e) {
    if (e->events) {
        if (!e->passive) n_active--;
        if (e->always) n_always--;
    }
    e->events = 0;
    e->always = false;
}

bool tb_poll_set(int fd, unsigned events, TbPollFn fn, void *arg, bool passive) {
    if (fd < 0) { errno = EBADF; return false; }
    if (!events) { tb_poll_del(fd); return true; }
    if (epfd < 0) {
        epfd = epoll_create1(EPOLL_CLOEXEC);
        if (epfd < 0) return false;
    }
    PollEnt *e = ent(fd);
    struct epoll_event ev = {.events = ep_events(events)};
    bool was = e->events != 0;
    forget(e);
    e->gen++;
    ev.data.u64 = (uint64_t)(uint32_t)fd | (uint64_t)e->gen << 32;
    bool always = false;
    if (e->in_epoll) {
        if (epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev) < 0) {
            if (errno != ENOENT) { e->in_epoll = false; return false; }
            e->in_epoll = false;
        }
    }
    if (!e->in_epoll) {
        if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) == 0) e->in_epoll = true;
        else if (errno == EPERM) always = true;       /* regular file, /dev/null: always ready */
        else if (errno == EEXIST && epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev) == 0) e->in_epoll = true;
        else return false;
    }
    (void)was;
    e->fn = fn;
    e->arg = arg;
    e->events = events;
    e->passive = passive;
    e->always = always;
    if (!passive) n_active++;
    if (always) n_always++;
    return true;
}

void tb_poll_del(int fd) {
    if (fd < 0 || fd >= nents) return;
    PollEnt *e = &ents[fd];
    forget(e);
    e->gen++;
    if (e->in_epoll) {
        epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);   /* fails harmlessly if already closed */
        e->in_epoll = false;
    }
}

/* ---- timers ---- */
typedef struct { void *key; uint64_t expire; void (*fn)(void *); } PollTimer;
static PollTimer *timers;
static unsigned ntimers, cap_timers;

void tb_poll_timer_set(void *key, uint64_t expire, void (*fn)(void *)) {
    for (unsigned i = 0; i < ntimers; i++)
        if (timers[i].key == key) { timers[i].expire = expire; timers[i].fn = fn; return; }
    if (ntimers == cap_timers) {
        cap_timers = cap_timers ? 2 * cap_timers : 8;
        timers = realloc(timers, cap_timers * sizeof *timers);
        if (!timers) abort();
    }
    timers[ntimers++] = (PollTimer){key, expire, fn};
}

void tb_poll_timer_cancel(void *key) {
    for (unsigned i = 0; i < ntimers; i++)
        if (timers[i].key == key) { timers[i] = timers[--ntimers]; return; }
}

uint64_t tb_poll_timer_next(void) {
    uint64_t m = UINT64_MAX;
    for (unsigned i = 0; i < ntimers; i++)
        if (timers[i].expire < m) m = timers[i].expire;
    return m;
}

static int fire_timers(void) {
    int n = 0;
    if (!ntimers) return 0;
    uint64_t now = tb_now_ns();
    for (unsigned i = 0; i < ntimers;) {
        if (timers[i].expire <= now) {
            PollTimer t = timers[i];
            timers[i] = timers[--ntimers];
            t.fn(t.key);            /* may set or cancel timers */
            n++;
            i = 0;
            continue;
        }
        i++;
    }
    return n;
}

/* ERTS ignores SIGPIPE from the start: write errors come back as EPIPE. */
void tb_ignore_sigpipe(void) {
    static bool done;
    if (!done) { signal(SIGPIPE, SIG_IGN); done = true; }
}

bool tb_poll_active(void) { return n_active > 0 || ntimers > 0; }

/* ---- waiting ---- */
static bool have_pwait2 = true;

static int ep_wait(struct epoll_event *evs, int max, int64_t ns) {
#ifdef SYS_epoll_pwait2
    if (have_pwait2) {
        struct timespec ts, *tp = NULL;
        if (ns >= 0) { ts.tv_sec = (time_t)(ns / 1000000000); ts.tv_nsec = (long)(ns % 1000000000); tp = &ts; }
        long r = syscall(SYS_epoll_pwait2, epfd, evs, max, tp, NULL, (size_t)8);
        if (r >= 0 || errno != ENOSYS) return (int)r;
        have_pwait2 = false;
    }
#endif
    int ms = ns < 0 ? -1 : (int)((ns + 999999) / 1000000);
    if (ns > (int64_t)1 << 50) ms = 1 << 30;
    return epoll_wait(epfd, evs, max, ms);
}

int tb_poll_wait(int64_t timeout_ns) {
    uint64_t tnext = tb_poll_timer_next();
    if (tnext != UINT64_MAX) {
        uint64_t now = tb_now_ns();
        int64_t d = tnext > now ? (int64_t)(tnext - now) : 0;
        if (timeout_ns < 0 || d < timeout_ns) timeout_ns = d;
    }
    if (n_always) timeout_ns = 0;
    int ran = 0;
    if (epfd < 0 || (n_active == 0 && nents == 0)) {
        if (timeout_ns > 0) {
            struct timespec ts = {(time_t)(timeout_ns / 1000000000), (long)(timeout_ns % 1000000000)};
            while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {}
        }
    } else {
        struct epoll_event evs[64];
        int n = ep_wait(evs, 64, timeout_ns);
        for (int i = 0; i < n; i++) {
            int fd = (int)(uint32_t)evs[i].data.u64;
            uint32_t gen = (uint32_t)(evs[i].data.u64 >> 32);
            if (fd >= nents) continue;
            PollEnt *e = &ents[fd];
            if (!e->events || e->gen != gen) continue;     /* removed or re-registered meanwhile */
            unsigned ready = 0;
            uint32_t x = evs[i].events;
            if (x & EPOLLIN) ready |= TB_POLL_IN;
            if (x & EPOLLOUT) ready |= TB_POLL_OUT;
            if (x & (EPOLLERR | EPOLLHUP)) ready |= TB_POLL_IN | TB_POLL_OUT;
            ready &= e->events;
            if (!ready) continue;
            e->fn(fd, ready, e->arg);
            ran++;
        }
    }
    if (n_always) {
        for (int fd = 0; fd < nents; fd++) {
            PollEnt *e = &ents[fd];
            if (e->events && e->always) { e->fn(fd, e->events, e->arg); ran++; }
        }
    }
    ran += fire_timers();
    return ran;
}
