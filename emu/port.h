/* port.h — ports: the port table, the port struct, port signals from
 * processes (command, close, connect, control, call, info, exit, link,
 * monitor) and the driver-facing calls that deliver data and close ports.
 *
 * Semantics are ERTS 25's.  As with processes (signals.h), one scheduler
 * acts on a signal when it is sent, which keeps ERTS's ordering guarantee
 * between a process and a port.  A port has one connected process (its
 * owner, who gets its data), links and monitors; when it closes it sends
 * exit signals with its reason to its links and 'DOWN' to its monitors. */
#ifndef TB_PORT_H
#define TB_PORT_H
#include "process.h"
#include "driver.h"

struct TbLink;
struct TbMon;

/* TbPort.flags */
#define TB_PORT_BINARY_IO   1u     /* {data, Binary} instead of lists */
#define TB_PORT_LINEBUF_IO  2u     /* {line, L}: {eol, Line} / {noeol, Part} */
#define TB_PORT_SOFT_EOF    4u     /* eof: {Port, eof} instead of closing */
#define TB_PORT_BUSY        8u
#define TB_PORT_EXIT_STATUS 16u

enum { TB_PORT_ALIVE, TB_PORT_CLOSING, TB_PORT_FREE };

typedef struct TbPort {
    Term id;                   /* #Port<0.N> */
    Term connected;            /* the owner: gets the port's messages */
    Term reg_name;             /* registered name or NIL */
    struct TbLink *links;      /* linked pids */
    struct TbMon *mons;        /* monitors of this port (origin false: pid monitors us) */
    struct TbMon *drv_mons;    /* processes the driver monitors (origin true) */
    const TbDriver *drv;
    void *drv_data;
    char *name;                /* port_info name: the command, "In/Out", ... */
    unsigned flags;
    int state;
    long os_pid;               /* -1 when none */
    UWord bytes_in, bytes_out;
    size_t ioq_size;           /* bytes queued by the driver (queue_size) */
    /* line mode: the unfinished line */
    UWord line_max;
    uint8_t *line_buf;
    size_t line_len, line_cap;
    /* port_set_data */
    Term data;
    TbHeapFrag *data_frag;
    /* processes waiting for the port to stop being busy: {Ref, Result} replies */
    struct TbPortWaiter *waiters;
} TbPort;

/* ---- the table ---- */
#define TB_PORT_DEFAULT_MAX 65536u  /* ERTS's default +Q */
TbPort *tb_port_lookup(Term id);               /* a live port, or NULL */
/* A port by id or registered name (atom); NULL if none is alive. */
TbPort *tb_port_resolve(Term id_or_name);
UWord tb_port_count(void);
TbPort *tb_port_next(UWord *i);                /* iterate from *i = 0; NULL at the end */

/* Registered names of ports.  The process registry (ptab.h) and this one
 * share the name space: bif_register.c checks both. */
bool tb_port_register(Term name, TbPort *pt);  /* false: name taken here or port already named */
TbPort *tb_port_whereis(Term name);
bool tb_port_unregister(Term name);

/* ---- open ---- */
/* erts_internal:open_port/2: returns the port id, or an atom: badopt,
 * badarg, system_limit or an errno name (enoent, eacces, ...). */
Term tb_port_open(struct TbProcess *p, Term name, Term settings);

/* ---- signals from processes ---- */
/* port_command: data must be an iolist.  Returns true, false (busy and
 * nosuspend), badarg, notsup; or a reference when the caller must wait
 * for {Ref, Result} (busy port). */
#define TB_CMD_FORCE     1u
#define TB_CMD_NOSUSPEND 2u
Term tb_port_command(struct TbProcess *p, TbPort *pt, Term data, unsigned flags);
/* Port ! Msg (erlang:send/2 to a port id). */
void tb_port_bang(struct TbProcess *p, TbPort *pt, Term msg);
/* Close as port_close/1 (reason normal). */
void tb_port_close(TbPort *pt);
/* port_connect/2: pid must be a live local process. */
void tb_port_connect(TbPort *pt, Term pid);
/* port_control/3: the result list/binary, or TB_NONE for badarg. */
Term tb_port_control(struct TbProcess *p, TbPort *pt, unsigned cmd, Term data);
/* port_call/3: {ok, Result} or TB_NONE for badarg. */
Term tb_port_call(struct TbProcess *p, TbPort *pt, unsigned cmd, Term data);
/* port_info/2 of one item: {Item, Value} ([] for registered_name when
 * none), TB_NONE for a bad item. */
Term tb_port_info_item(struct TbProcess *p, TbPort *pt, Term item);
/* port_info/1: the list. */
Term tb_port_info_all(struct TbProcess *p, TbPort *pt);

/* Exit signal to a port.  exit2: exit/2 (any reason closes the port; kill
 * gives killed); otherwise over a link from `from`, which is already
 * unlinked: normal is ignored unless it comes from the connected process. */
void tb_port_exit_signal(Term port, Term from, Term reason, bool exit2);
/* link/1 and unlink/1 from p with a port id.  link to a dead port: true,
 * and an exit signal noproc from the port, as ERTS. */
void tb_port_link(struct TbProcess *p, Term port);
void tb_port_unlink(struct TbProcess *p, Term port);
/* monitor(port, Item): Item is a port id, a name or {Name, Node}; the
 * reference; TB_NONE for badarg. */
Term tb_port_monitor(struct TbProcess *p, Term item);
/* demonitor of a port monitor whose process side is already removed. */
void tb_port_demonitor(Term port, const uint32_t ref[3]);

/* ---- calls for drivers ---- */
void tb_drv_output(TbPort *pt, const uint8_t *buf, size_t len);    /* {Port, {data, ...}} */
void tb_drv_report_exit(TbPort *pt, int status);                     /* {Port, {exit_status, S}} */
/* End of input: with the eof option {Port, eof}, else close (normal). */
void tb_drv_failure_eof(TbPort *pt);
/* Close with an atom reason (normal, or an errno name via tb_errno_atom). */
void tb_drv_failure(TbPort *pt, Term reason);
void tb_drv_failure_errno(TbPort *pt, int err);
void tb_drv_set_busy(TbPort *pt, bool busy);
/* Watch fd: ready_input / ready_output of the port's driver run when ready.
 * mode TB_POLL_IN/TB_POLL_OUT; on false stops.  Returns false if the fd
 * cannot be watched. */
bool tb_drv_select(TbPort *pt, int fd, unsigned mode, bool on);
/* The driver monitors a live process: process_exit(port, pid) when it
 * ends (port_info's monitors list it); false if pid is not alive. */
bool tb_drv_monitor_process(TbPort *pt, Term pid, uint32_t ref[3]);
void tb_drv_demonitor_process(TbPort *pt, const uint32_t ref[3]);
void tb_drv_set_timer(TbPort *pt, uint64_t ms);
void tb_drv_cancel_timer(TbPort *pt);
Term tb_drv_errno_atom(int err);                                     /* ENOENT -> enoent */
/* Drivers running their own poll callbacks (tb_poll_set) bracket them with
 * these, so that a close they cause waits until they return. */
void tb_drv_enter(void);
void tb_drv_leave(void);

/* ---- from processes ending (emu/signals.c) ---- */
/* A process with a monitor involving `port` ended: origin true, it
 * monitored the port; false, the port's driver monitored it. */
void tb_port_mon_gone(Term port, const uint32_t ref[3], bool origin, Term pid);
/* The process `pid` is gone; it was linked to `port`: acts as an exit
 * signal over the link. */
static inline void tb_port_link_exit(Term port, Term pid, Term reason) {
    tb_port_exit_signal(port, pid, reason, false);
}
#endif
