/* drv_spawn.c — the spawn driver: {spawn, Command} runs `/bin/sh -c "exec
 * Command"`, {spawn_executable, File} runs File with {args, ...} and
 * {arg0, ...}, both over pipes (stdin/stdout, or fds 3/4 with nouse_stdio).
 * Options as ERTS 25: {cd, Dir}, {env, Env}, exit_status ({Port,
 * {exit_status, S}} after all output: 128+N for a signal), stderr_to_stdout,
 * in, out, {packet, N}, stream, {line, L}, binary, eof, hide.
 *
 * The child is made with vfork+execve; it keeps only its stdio (and 3/4)
 * open.  Exit statuses come from a pidfd in the poll set (no SIGCHLD
 * handler); a child still running when its port closes is reaped later by
 * a passive poll entry.  Also the shared fd input/output helpers (driver.h). */
#define _GNU_SOURCE
#include "../emu/port.h"
#include "../emu/poll.h"
#include "../emu/timer.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <sys/resource.h>

extern char **environ;

#define READ_BUF (64 * 1024)

/* ---------------- shared fd I/O ---------------- */
static uint8_t rbuf[READ_BUF];

static void set_ioq(TbPort *port, const TbDrvIo *io) { port->ioq_size = io->oq_len - io->oq_off; }

static uint32_t get_hdr(const uint8_t *h, int n) {
    uint32_t v = 0;
    for (int i = 0; i < n; i++) v = v << 8 | h[i];
    return v;
}

int tb_drvio_read(TbPort *port, TbDrvIo *io) {
    int pb = io->packet_bytes;
    if (pb && io->pkt) {                        /* the rest of a split packet */
        ssize_t n = read(io->ifd, io->pkt + io->pkt_have, io->pkt_size - io->pkt_have);
        if (n < 0) return errno == EAGAIN || errno == EINTR ? 1 : -1;
        if (n == 0) return 0;
        io->pkt_have += (size_t)n;
        if (io->pkt_have == io->pkt_size) {
            uint8_t *b = io->pkt;
            size_t sz = io->pkt_size;
            io->pkt = NULL;
            tb_drv_output(port, b, sz);
            free(b);
        }
        return 1;
    }
    ssize_t n = read(io->ifd, rbuf, sizeof rbuf);
    if (n < 0) return errno == EAGAIN || errno == EINTR ? 1 : -1;
    if (n == 0) return 0;
    if (!pb) { tb_drv_output(port, rbuf, (size_t)n); return 1; }
    const uint8_t *c = rbuf;
    size_t left = (size_t)n;
    while (port->state == TB_PORT_ALIVE) {
        while (left && io->hsz < pb) { io->hdr[io->hsz++] = *c++; left--; }
        if (io->hsz < pb) break;
        io->hsz = 0;
        size_t h = get_hdr(io->hdr, pb);
        if (h <= left) {
            tb_drv_output(port, c, h);
            c += h;
            left -= h;
            continue;
        }
        io->pkt = malloc(h);
        if (!io->pkt) { errno = ENOMEM; return -1; }
        memcpy(io->pkt, c, left);
        io->pkt_size = h;
        io->pkt_have = left;
        break;
    }
    return 1;
}

static void oq_add(TbDrvIo *io, const uint8_t *b, size_t n) {
    if (!n) return;
    if (io->oq_off && io->oq_off == io->oq_len) io->oq_off = io->oq_len = 0;
    if (io->oq_len + n > io->oq_cap) {
        if (io->oq_off) {                       /* compact */
            memmove(io->oq, io->oq + io->oq_off, io->oq_len - io->oq_off);
            io->oq_len -= io->oq_off;
            io->oq_off = 0;
        }
        size_t c = io->oq_cap ? io->oq_cap : 4096;
        while (c < io->oq_len + n) c *= 2;
        io->oq = realloc(io->oq, c);
        if (!io->oq) abort();
        io->oq_cap = c;
    }
    memcpy(io->oq + io->oq_len, b, n);
    io->oq_len += n;
}

bool tb_drvio_output(TbPort *port, TbDrvIo *io, const uint8_t *buf, size_t len) {
    int pb = io->packet_bytes;
    if ((pb == 1 && len > 0xff) || (pb == 2 && len > 0xffff)) { errno = EINVAL; return false; }
    uint8_t hdr[4] = {(uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8), (uint8_t)len};
    const uint8_t *h = hdr + 4 - pb;
    if (io->oq_len > io->oq_off) {              /* already queued: keep the order */
        oq_add(io, h, (size_t)pb);
        oq_add(io, buf, len);
    } else {
        size_t done = 0, total = (size_t)pb + len;
        while (done < total) {
            struct iovec iv[2];
            int k = 0;
            if (done < (size_t)pb) { iv[k].iov_base = (void *)(h + done); iv[k].iov_len = (size_t)pb - done; k++; }
            size_t doff = done > (size_t)pb ? done - (size_t)pb : 0;
            if (len - doff) { iv[k].iov_base = (void *)(buf + doff); iv[k].iov_len = len - doff; k++; }
            ssize_t n = writev(io->ofd, iv, k);
            if (n < 0) {
                if (errno == EINTR) continue;
                if (errno == EAGAIN) break;
                return false;
            }
            done += (size_t)n;
        }
        if (done < (size_t)pb) { oq_add(io, h + done, (size_t)pb - done); oq_add(io, buf, len); }
        else if (done < total) oq_add(io, buf + (done - (size_t)pb), total - done);
        if (io->oq_len > io->oq_off) tb_drv_select(port, io->ofd, TB_POLL_OUT, true);
    }
    set_ioq(port, io);
    if (io->busy_high && port->ioq_size >= io->busy_high) tb_drv_set_busy(port, true);
    return true;
}

bool tb_drvio_ready_output(TbPort *port, TbDrvIo *io) {
    while (io->oq_len > io->oq_off) {
        ssize_t n = write(io->ofd, io->oq + io->oq_off, io->oq_len - io->oq_off);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) break;
            return false;
        }
        io->oq_off += (size_t)n;
    }
    if (io->oq_len == io->oq_off) {
        io->oq_off = io->oq_len = 0;
        tb_drv_select(port, io->ofd, TB_POLL_OUT, false);
    }
    set_ioq(port, io);
    if ((port->flags & TB_PORT_BUSY) && port->ioq_size < io->busy_low) tb_drv_set_busy(port, false);
    return true;
}

void tb_drvio_free(TbDrvIo *io) {
    free(io->pkt);
    free(io->oq);
    io->pkt = io->oq = NULL;
}

/* ---------------- children ---------------- */
typedef struct Spawn {
    TbPort *port;
    TbDrvIo io;
    bool has_read, has_write;
    pid_t pid;
    int pidfd;                 /* -1 when none (exited, or polled by timer) */
    bool want_status, exited, eof_seen;
    int status;
} Spawn;

/* A child whose port is gone: reap it when it exits. */
typedef struct Reaper { pid_t pid; int pidfd; } Reaper;

static void reaper_cb(int fd, unsigned ev, void *arg) {
    (void)ev;
    Reaper *r = arg;
    int st;
    if (waitpid(r->pid, &st, WNOHANG) == 0) return;
    tb_poll_del(fd);
    close(fd);
    free(r);
}

static void reaper_timer(void *key) {
    Reaper *r = key;
    int st;
    if (waitpid(r->pid, &st, WNOHANG) == 0) {
        tb_poll_timer_set(r, tb_now_ns() + 50 * 1000000u, reaper_timer);   /* no pidfd: poll slowly */
        return;
    }
    free(r);
}

static void child_done(Spawn *s) {
    /* input ended and the status is known: report it, then the end of input */
    TbPort *port = s->port;
    if (s->want_status) {
        s->want_status = false;
        tb_drv_report_exit(port, s->status);
    }
    tb_drv_failure_eof(port);
}

static void got_status(Spawn *s, int st) {
    s->exited = true;
    s->status = WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
    if (s->pidfd >= 0) { tb_poll_del(s->pidfd); close(s->pidfd); s->pidfd = -1; }
    tb_poll_timer_cancel(s);
    if (s->want_status && s->eof_seen) child_done(s);
}

static void pidfd_cb(int fd, unsigned ev, void *arg) {
    (void)fd; (void)ev;
    Spawn *s = arg;
    int st = 0;
    pid_t r = waitpid(s->pid, &st, WNOHANG);
    if (r == 0) return;
    if (r < 0) st = 0;                  /* reaped elsewhere (SIGCHLD ignored): status unknown */
    tb_drv_enter();
    got_status(s, st);
    tb_drv_leave();
}

static void wait_timer(void *key) {
    Spawn *s = key;
    int st = 0;
    pid_t r = waitpid(s->pid, &st, WNOHANG);
    if (r == 0) {
        tb_poll_timer_set(s, tb_now_ns() + 10 * 1000000u, wait_timer);
        return;
    }
    if (r < 0) st = 0;
    tb_drv_enter();
    got_status(s, st);
    tb_drv_leave();
}

static void watch_child(Spawn *s) {
    s->pidfd = -1;
#ifdef SYS_pidfd_open
    s->pidfd = (int)syscall(SYS_pidfd_open, s->pid, 0);
#endif
    if (s->pidfd >= 0) {
        fcntl(s->pidfd, F_SETFD, FD_CLOEXEC);
        /* active only while an exit status is to be reported */
        if (tb_poll_set(s->pidfd, TB_POLL_IN, pidfd_cb, s, !s->want_status)) return;
        close(s->pidfd);
        s->pidfd = -1;
    }
    tb_poll_timer_set(s, tb_now_ns() + 10 * 1000000u, wait_timer);
}

/* Environment for {env, ...}: environ with the changes. */
static char **build_env(char *const *changes) {
    size_t n = 0, k = 0;
    while (environ[n]) n++;
    while (changes[k]) k++;
    char **e = malloc((n + k + 1) * sizeof *e);
    if (!e) abort();
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const char *eq = strchr(environ[i], '=');
        size_t kl = eq ? (size_t)(eq - environ[i]) : strlen(environ[i]);
        bool replaced = false;
        for (size_t j = 0; j < k && !replaced; j++) {
            const char *c = changes[j], *ceq = strchr(c, '=');
            size_t cl = ceq ? (size_t)(ceq - c) : strlen(c);
            if (cl == kl && memcmp(c, environ[i], kl) == 0) replaced = true;
        }
        if (!replaced) e[m++] = environ[i];
    }
    for (size_t j = 0; j < k; j++)
        if (strchr(changes[j], '=')) e[m++] = changes[j];
    e[m] = NULL;
    return e;
}

/* Move fd to >= 5 so that the child's dup2 onto 0..4 cannot clobber it. */
static int high_fd(int fd) {
    if (fd < 0 || fd >= 5) return fd;
    int h = fcntl(fd, F_DUPFD_CLOEXEC, 5);
    close(fd);
    return h;
}

static void close_from(int lo) {
#ifdef SYS_close_range
    if (syscall(SYS_close_range, (unsigned)lo, ~0u, 0) == 0) return;
#endif
    struct rlimit rl;
    long max = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY ? (long)rl.rlim_cur : 65536;
    if (max > 65536) max = 65536;
    for (long fd = lo; fd < max; fd++) close((int)fd);
}

typedef struct ChildSetup {
    const char *path;
    char *const *argv;
    char *const *envp;
    const char *wd;
    const char *cd_msg;
    size_t cd_msg_len;
    int to_child, from_child;  /* child's ends (-1: none) */
    bool use_stdio, redir_stderr;
} ChildSetup;

static __attribute__((noreturn)) void child_exec(const ChildSetup *c) {
    if (c->use_stdio) {
        if (c->to_child >= 0) dup2(c->to_child, 0);
        if (c->from_child >= 0) dup2(c->from_child, 1);
        if (c->redir_stderr) dup2(c->from_child >= 0 ? c->from_child : 1, 2);
        close_from(3);
    } else {
        if (c->to_child >= 0) dup2(c->to_child, 3); else close(3);
        if (c->from_child >= 0) dup2(c->from_child, 4); else close(4);
        close_from(5);
    }
    if (c->wd && chdir(c->wd) < 0) {
        int e = errno;
        if (write(2, c->cd_msg, c->cd_msg_len) < 0) {}
        _exit(e);
    }
    execve(c->path, c->argv, c->envp);
    _exit(errno);
}

static void *spawn_start(TbPort *port, const TbPortOpts *o, int *err) {
    tb_ignore_sigpipe();                /* as ERTS: write errors instead of SIGPIPE */
    if (o->spawn_type == TB_SPAWN_EXECUTABLE && access(o->name, X_OK) != 0) { *err = errno; return NULL; }
    bool rd = o->read_write & TB_DO_READ, wr = o->read_write & TB_DO_WRITE;
    int in_p[2] = {-1, -1}, out_p[2] = {-1, -1};   /* in_p: child -> VM; out_p: VM -> child */
    if (pipe2(in_p, O_CLOEXEC) < 0) { *err = errno; return NULL; }
    if (pipe2(out_p, O_CLOEXEC) < 0) { *err = errno; close(in_p[0]); close(in_p[1]); return NULL; }
    for (int i = 0; i < 2; i++) { in_p[i] = high_fd(in_p[i]); out_p[i] = high_fd(out_p[i]); }

    char *cmd = NULL;
    char *sh_argv[4];
    ChildSetup c = {.use_stdio = o->use_stdio, .redir_stderr = o->redir_stderr, .wd = o->wd,
                    .to_child = wr ? out_p[0] : -1, .from_child = rd ? in_p[1] : -1};
    if (o->spawn_type == TB_SPAWN_EXECUTABLE) {
        c.path = o->name;
        c.argv = o->argv;
    } else {
        cmd = malloc(strlen(o->name) + 6);
        if (!cmd) abort();
        strcpy(cmd, "exec ");
        strcat(cmd, o->name);
        sh_argv[0] = "sh"; sh_argv[1] = "-c"; sh_argv[2] = cmd; sh_argv[3] = NULL;
        c.path = "/bin/sh";
        c.argv = sh_argv;
    }
    char **env = o->envir ? build_env(o->envir) : environ;
    c.envp = env;
    char *cd_msg = NULL;
    if (o->wd) {
        cd_msg = malloc(strlen(o->wd) + 32);
        if (!cd_msg) abort();
        c.cd_msg_len = (size_t)sprintf(cd_msg, "spawn: Could not cd to %s\n", o->wd);
        c.cd_msg = cd_msg;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = vfork();
    if (pid == 0) child_exec(&c);
    int e = errno;
    free(cmd);
    free(cd_msg);
    if (env != environ) free(env);
    close(in_p[1]);
    close(out_p[0]);
    if (pid < 0) { close(in_p[0]); close(out_p[1]); *err = e; return NULL; }
    if (!rd) { close(in_p[0]); in_p[0] = -1; }
    if (!wr) { close(out_p[1]); out_p[1] = -1; }

    Spawn *s = calloc(1, sizeof *s);
    if (!s) abort();
    s->port = port;
    s->pid = pid;
    s->io.ifd = in_p[0];
    s->io.ofd = out_p[1];
    s->io.packet_bytes = o->packet_bytes;
    s->io.busy_low = o->busy_low;
    s->io.busy_high = o->busy_high;
    s->has_read = rd;
    s->has_write = wr;
    s->want_status = o->exit_status;
    /* without input (out) there is no end of input: as ERTS, no exit status either */
    port->os_pid = pid;
    if (s->io.ifd >= 0) fcntl(s->io.ifd, F_SETFL, fcntl(s->io.ifd, F_GETFL) | O_NONBLOCK);
    if (s->io.ofd >= 0) fcntl(s->io.ofd, F_SETFL, fcntl(s->io.ofd, F_GETFL) | O_NONBLOCK);
    port->drv_data = s;
    if (s->io.ifd >= 0) tb_drv_select(port, s->io.ifd, TB_POLL_IN, true);
    watch_child(s);
    return s;
}

static void spawn_stop(TbPort *port) {
    Spawn *s = port->drv_data;
    if (!s) return;
    if (s->io.ifd >= 0) close(s->io.ifd);
    if (s->io.ofd >= 0) close(s->io.ofd);
    tb_poll_timer_cancel(s);
    if (!s->exited) {
        int st;
        if (waitpid(s->pid, &st, WNOHANG) == 0) {      /* still running: reap it later */
            Reaper *r = malloc(sizeof *r);
            if (!r) abort();
            r->pid = s->pid;
            r->pidfd = s->pidfd;
            if (s->pidfd >= 0) tb_poll_set(s->pidfd, TB_POLL_IN, reaper_cb, r, true);
            else tb_poll_timer_set(r, tb_now_ns() + 50 * 1000000u, reaper_timer);
            s->pidfd = -1;
        }
    }
    if (s->pidfd >= 0) { tb_poll_del(s->pidfd); close(s->pidfd); }
    tb_drvio_free(&s->io);
    free(s);
}

static void spawn_output(TbPort *port, const uint8_t *buf, size_t len) {
    Spawn *s = port->drv_data;
    if (s->io.ofd < 0) { tb_drv_failure_errno(port, EBADF); return; }
    if (!tb_drvio_output(port, &s->io, buf, len)) tb_drv_failure_errno(port, errno);
}

static void spawn_ready_input(TbPort *port, int fd) {
    Spawn *s = port->drv_data;
    (void)fd;
    int r = tb_drvio_read(port, &s->io);
    if (r > 0) return;
    if (r < 0) { tb_drv_failure_errno(port, errno); return; }
    /* end of input */
    tb_drv_select(port, s->io.ifd, TB_POLL_IN, false);
    s->eof_seen = true;
    if (s->want_status && !s->exited) {
        /* the exit status comes next: waiting for it keeps the VM awake */
        if (s->pidfd >= 0) tb_poll_set(s->pidfd, TB_POLL_IN, pidfd_cb, s, false);
        return;
    }
    child_done(s);
}

static void spawn_ready_output(TbPort *port, int fd) {
    Spawn *s = port->drv_data;
    (void)fd;
    if (!tb_drvio_ready_output(port, &s->io)) tb_drv_failure_errno(port, errno);
}

const TbDriver tb_spawn_driver = {
    .name = "spawn",
    .start = spawn_start,
    .stop = spawn_stop,
    .output = spawn_output,
    .ready_input = spawn_ready_input,
    .ready_output = spawn_ready_output,
};
