/* msg.h — messages: copying a term into a fragment, queueing it at the
 * receiver, erlang:send's destination rules, and the receive queue ops. */
#ifndef TB_MSG_H
#define TB_MSG_H
#include "process.h"

/* Copy t into a new heap fragment with `extra` spare words at its front
 * (for wrapping tuples); *frag is NULL when nothing needed copying. */
Term tb_msg_copy(Term t, UWord extra, TbHeapFrag **frag, Term **extra_hp);
/* Queue msg (its data in frag, or on to's own heap when frag is NULL and
 * the sender is `to`) and wake `to` if it waits. */
void tb_msg_enqueue(TbProcess *to, Term msg, TbHeapFrag *frag);
/* Send from p (msg on p's heap) to a live process. */
void tb_msg_send(TbProcess *p, TbProcess *to, Term msg);
/* erlang:send/2: pid, registered name or {Name, Node}.  TB_NONE with badarg
 * set for a bad destination or an unregistered name. */
Term tb_send(TbProcess *p, Term to, Term msg);
/* remove_message: unlink the current message; its data becomes p's. */
void tb_msg_remove(TbProcess *p);

/* Receive markers. */
Term tb_recv_marker_reserve(TbProcess *p);
void tb_recv_marker_bind(TbProcess *p, Term marker, Term ref);
void tb_recv_marker_use(TbProcess *p, Term ref);
void tb_recv_marker_clear(TbProcess *p, Term ref);
#endif
