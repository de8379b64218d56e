/* drv_fd.c — the fd driver: {fd, In, Out} reads In and writes Out, file
 * descriptors the VM already has (the `user` process uses {fd, 0, 1}).
 * Reading delivers {Port, {data, Bytes}} as read (or packets / lines) and,
 * at the end of input, {Port, eof} with the eof option, else the port
 * closes.  Writing is direct (stdio buffers of the VM are flushed first so
 * that erlang:display and port output keep their order); an fd that is
 * non-blocking gets a queue written when ready.  port_control 100 (also
 * 0x018b0900 + 100, as tty_sl) gives the window size of a terminal as two
 * native 32-bit words; other controls are badarg.  The fds are never closed. */
#define _GNU_SOURCE
#include "../emu/port.h"
#include "../emu/poll.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

typedef struct FdDrv {
    TbDrvIo io;
    bool reading;
    int own_fd;                /* vanilla: the file it opened, closed at the end */
} FdDrv;

static void *fd_start(TbPort *port, const TbPortOpts *o, int *err) {
    tb_ignore_sigpipe();                /* as ERTS: write errors instead of SIGPIPE */
    FdDrv *d = calloc(1, sizeof *d);
    if (!d) abort();
    d->own_fd = -1;
    d->io.ifd = (o->read_write & TB_DO_READ) ? o->ifd : -1;
    d->io.ofd = (o->read_write & TB_DO_WRITE) ? o->ofd : -1;
    d->io.packet_bytes = o->packet_bytes;
    d->io.busy_low = o->busy_low;
    d->io.busy_high = o->busy_high;
    port->drv_data = d;
    if (d->io.ifd >= 0) {
        if (tb_drv_select(port, d->io.ifd, TB_POLL_IN, true)) d->reading = true;
        else {
            fflush(stdout);
            fprintf(stderr, "=ERROR REPORT==== Bad input fd in erts_poll()! fd=%d, driver=fd, name=%s\n\n",
                    d->io.ifd, port->name);
        }
    }
    (void)err;
    return d;
}

static void fd_stop(TbPort *port) {
    FdDrv *d = port->drv_data;
    if (!d) return;
    if (d->own_fd >= 0) close(d->own_fd);
    tb_drvio_free(&d->io);
    free(d);
}

static void fd_output(TbPort *port, const uint8_t *buf, size_t len) {
    FdDrv *d = port->drv_data;
    if (d->io.ofd < 0) { tb_drv_failure_errno(port, EBADF); return; }
    if (d->io.ofd == 1) fflush(stdout);
    else if (d->io.ofd == 2) fflush(stderr);
    if (!tb_drvio_output(port, &d->io, buf, len)) tb_drv_failure_errno(port, errno);
}

static void fd_ready_input(TbPort *port, int fd) {
    FdDrv *d = port->drv_data;
    (void)fd;
    int r = tb_drvio_read(port, &d->io);
    if (r > 0) return;
    tb_drv_select(port, d->io.ifd, TB_POLL_IN, false);
    d->reading = false;
    if (r < 0) { tb_drv_failure_errno(port, errno); return; }
    tb_drv_failure_eof(port);
}

static void fd_ready_output(TbPort *port, int fd) {
    FdDrv *d = port->drv_data;
    (void)fd;
    if (!tb_drvio_ready_output(port, &d->io)) tb_drv_failure_errno(port, errno);
}

#define TTY_MAGIC 0x018b0900u
#define CTRL_WINSIZE 100u

static long fd_control(TbPort *port, unsigned cmd, const uint8_t *buf, size_t len, uint8_t **res) {
    FdDrv *d = port->drv_data;
    (void)buf; (void)len;
    if (cmd != CTRL_WINSIZE && cmd != TTY_MAGIC + CTRL_WINSIZE) return -1;
    struct winsize ws;
    int fd = d->io.ofd >= 0 ? d->io.ofd : d->io.ifd;
    if (fd < 0 || ioctl(fd, TIOCGWINSZ, &ws) != 0) return -1;
    uint32_t wh[2] = {ws.ws_col, ws.ws_row};
    *res = malloc(sizeof wh);
    if (!*res) abort();
    memcpy(*res, wh, sizeof wh);
    return (long)sizeof wh;
}

const TbDriver tb_fd_driver = {
    .name = "fd",
    .start = fd_start,
    .stop = fd_stop,
    .output = fd_output,
    .control = fd_control,
    .ready_input = fd_ready_input,
    .ready_output = fd_ready_output,
};

/* open_port(File): the file itself, opened for what in/out ask (both by
 * default: read-write, created if missing), then handled as an fd port. */
static void *vanilla_start(TbPort *port, const TbPortOpts *o, int *err) {
    int flags = o->read_write == TB_DO_READ ? O_RDONLY
              : o->read_write == TB_DO_WRITE ? O_WRONLY | O_CREAT | O_TRUNC : O_RDWR | O_CREAT;
    int fd = open(o->name, flags | O_CLOEXEC, 0666);
    if (fd < 0) { *err = TB_DRV_ERR_GENERAL; return NULL; }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    TbPortOpts fo = *o;
    fo.ifd = fo.ofd = fd;
    FdDrv *d = fd_start(port, &fo, err);
    d->own_fd = fd;
    return d;
}

const TbDriver tb_vanilla_driver = {
    .name = "vanilla",
    .start = vanilla_start,
    .stop = fd_stop,
    .output = fd_output,
    .ready_input = fd_ready_input,
    .ready_output = fd_ready_output,
};
