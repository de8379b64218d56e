/* driver.h — the driver interface: what a port runs.  Modelled on ERTS's
 * erl_drv_entry, reduced to what tbeam's built-in drivers need.  A driver's
 * callbacks run on the scheduler thread, between process slices.
 *
 * Life of a port: start() builds the driver state (or fails with an errno /
 * badarg); output/control/call are the port_command / port_control /
 * port_call signals; ready_input/ready_output come from fds the driver
 * watches with tb_drv_select(); timeout() from tb_drv_set_timer();
 * stop() frees everything when the port closes (it must not send messages).
 * The driver talks back with the tb_drv_* calls of emu/port.h: deliver data
 * ({Port, {data, ...}} in the port's list/binary/line mode), eof, the exit
 * status, busy state, and failures that close the port. */
#ifndef TB_DRIVER_H
#define TB_DRIVER_H
#include "term.h"
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

struct TbPort;
struct TbProcess;

/* Parsed open_port settings, as ERTS's SysDriverOpts. */
enum { TB_SPAWN_ANY, TB_SPAWN_EXECUTABLE, TB_SPAWN_DRIVER, TB_SPAWN_FD, TB_SPAWN_VANILLA };
#define TB_DO_READ  1u
#define TB_DO_WRITE 2u

typedef struct TbPortOpts {
    int spawn_type;            /* TB_SPAWN_* */
    char *name;                /* command / executable / driver name, UTF-8 */
    int ifd, ofd;              /* {fd, In, Out} */
    int packet_bytes;          /* 0, 1, 2, 4 */
    unsigned read_write;       /* TB_DO_READ | TB_DO_WRITE */
    bool use_stdio, redir_stderr, exit_status, hide;
    char *wd;                  /* {cd, Dir} or NULL */
    char **envir;              /* {env, ...}: "NAME=VAL" (set) and "NAME" (unset); NULL-terminated */
    char **argv;               /* {args, ...} with argv[0] = arg0 (or the name); NULL-terminated */
    size_t busy_low, busy_high;  /* {busy_limits_port, {L, H}}: default 4096, 8192; disabled: 0, 0 */
} TbPortOpts;

/* start() failure codes (beside a positive errno). */
#define TB_DRV_ERR_BADARG  (-1)
#define TB_DRV_ERR_GENERAL (-2)   /* reported as einval */

typedef struct TbDriver {
    const char *name;
    /* Set up; return the state (non-NULL) or NULL with *err: an errno or TB_DRV_ERR_*. */
    void *(*start)(struct TbPort *port, const TbPortOpts *opts, int *err);
    void (*stop)(struct TbPort *port);
    void (*output)(struct TbPort *port, const uint8_t *buf, size_t len);
    /* port_control: result bytes in *res (malloc'd, or NULL for none);
     * returns the length, or -1 for badarg. */
    long (*control)(struct TbPort *port, unsigned cmd, const uint8_t *buf, size_t len, uint8_t **res);
    /* port_call: the argument term, the result built on the caller's heap; TB_NONE: badarg. */
    Term (*call)(struct TbPort *port, struct TbProcess *caller, unsigned cmd, Term arg);
    void (*ready_input)(struct TbPort *port, int fd);
    void (*ready_output)(struct TbPort *port, int fd);
    void (*timeout)(struct TbPort *port);
    /* A process that the driver monitors (tb_drv_monitor_process) ended. */
    void (*process_exit)(struct TbPort *port, Term pid);
    unsigned flags;            /* TB_DRV_FLAG_* */
} TbDriver;

#define TB_DRV_FLAG_SOFT_BUSY 1u  /* port_command(.., [force]) allowed */

/* Built-in drivers (stdlib-c/). */
extern const TbDriver tb_spawn_driver;   /* "spawn": {spawn, Cmd}, {spawn_executable, File} */
extern const TbDriver tb_fd_driver;      /* "fd": {fd, In, Out} */
extern const TbDriver tb_vanilla_driver; /* "vanilla": open_port(File) with an atom or string: the file */
/* tty_sl (stdlib-c/drv_tty_sl.c): the shell's terminal, {spawn, "tty_sl -c -e"}; always in the registry */
extern const TbDriver tb_tty_sl_driver;

/* ---- helpers for fd-based drivers (stdlib-c/drv_spawn.c) ----
 * Input with ERTS's framing: one read of up to 64 KiB per readiness, then
 * whole packets ({packet, N}) or the bytes as read (stream).  Output with
 * the packet header, written at once when possible, else queued and
 * written when the fd is ready; the port is busy from busy_high bytes
 * queued until the queue is below busy_low ({busy_limits_port, {L, H}}). */
typedef struct TbDrvIo {
    int ifd, ofd;              /* -1: none */
    int packet_bytes;
    uint8_t hdr[4];            /* partial packet header */
    int hsz;
    uint8_t *pkt;              /* packet being read: pkt_size bytes, pkt_have so far */
    size_t pkt_size, pkt_have;
    uint8_t *oq;               /* output queue: bytes oq_off..oq_len */
    size_t oq_off, oq_len, oq_cap;
    size_t busy_low, busy_high;  /* busy_high 0: never busy */
} TbDrvIo;
/* Read once from io->ifd: data goes to the port; returns 1 on data or
 * nothing to do, 0 at end of input, -1 on an error (errno set). */
int tb_drvio_read(struct TbPort *port, TbDrvIo *io);
/* Output a command (adds the packet header); false with errno on a write
 * error or EINVAL for a too large packet. */
bool tb_drvio_output(struct TbPort *port, TbDrvIo *io, const uint8_t *buf, size_t len);
/* The output fd is writable: write the queue; false with errno on an error. */
bool tb_drvio_ready_output(struct TbPort *port, TbDrvIo *io);
void tb_drvio_free(TbDrvIo *io);

/* Add a driver by name for {spawn, Name ...} and {spawn_driver, Name}. */
void tb_driver_register(const TbDriver *drv);
const TbDriver *tb_driver_find(const char *name, size_t len);
/* {Port, Atom} to the port's connected process (as erl_drv_output_term);
 * tty_sl's {Port, ok} after a synchronous write. */
void tb_drv_output_atom(struct TbPort *pt, Term atom);
#endif
