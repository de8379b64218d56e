/* signals.h — links, monitors, exit signals and process termination.
 * With one scheduler a signal is acted on when it is sent, which keeps
 * ERTS's guarantee that signals between a pair of processes (messages
 * included) arrive in the order they were sent. */
#ifndef TB_SIGNAL_H
#define TB_SIGNAL_H
#include "process.h"

typedef struct TbLink {
    struct TbLink *next;
    Term pid;
} TbLink;

typedef struct TbMon {
    struct TbMon *next;
    uint32_t ref[3];
    Term pid;                  /* the other process */
    Term name;                 /* monitor by registered name: the name, else NIL */
    bool origin;               /* true: we monitor pid; false: pid monitors us */
} TbMon;

/* The list forms serve ports too (their links and monitors live in TbPort). */
bool tb_link_list_add(TbLink **list, Term pid);
bool tb_link_list_remove(TbLink **list, Term pid);
void tb_mon_list_add(TbMon **list, const uint32_t ref[3], Term pid, Term name, bool origin);
bool tb_link_add(TbProcess *p, Term pid);         /* false if already linked */
bool tb_link_remove(TbProcess *p, Term pid);      /* false if not linked */
void tb_mon_add(TbProcess *p, const uint32_t ref[3], Term pid, Term name, bool origin);
/* Unlink the monitor with this reference and side from p's list (caller frees). */
TbMon *tb_mon_take(TbProcess *p, const uint32_t ref[3], bool origin);

/* Remove p's monitor `ref` (and the target's side); true if it was active. */
bool tb_demonitor(TbProcess *p, const uint32_t ref[3]);

/* A new reference term on p's heap from numbers / the numbers of one. */
Term tb_ref_make(TbProcess *p, const uint32_t num[3]);
void tb_ref_new_nums(uint32_t num[3]);

/* An exit signal from `from` to `to`, acted on now.  exit2: sent by exit/2
 * (then `kill` cannot be trapped); otherwise it comes over a link. */
void tb_signal_exit(TbProcess *to, Term from, Term reason, bool exit2);
/* Messages built by the runtime. */
void tb_send_exit_msg(TbProcess *to, Term from, Term reason);
void tb_send_down(TbProcess *to, const uint32_t ref[3], Term pid, Term name, Term reason);
/* Make p end with reason (copied), at its next scheduling. */
void tb_proc_kill(TbProcess *p, Term reason);
/* Terminate p now: links and monitors get their signals, the name is
 * released, the process is freed.  reason may live on p's heap. */
void tb_proc_exit(TbProcess *p, Term reason);
#endif
