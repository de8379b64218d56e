/* msg.c — message queue of a process.  Until processes land, only a send to
 * oneself delivers; the message is already on our heap, so no copy. */
#include "msg.h"
#include "atom.h"
#include <stdlib.h>
#include <time.h>

Term tb_send(TbProcess *p, Term to, Term msg) {
    if (to != p->id) {
        if (is_pid(to)) return msg;                     /* dead pid: dropped, like ERTS */
        p->freason = EXC_CLASS_ERROR | EXC_SAVE_TRACE;
        p->fvalue = AM(badarg);
        p->ftop = NIL;
        return TB_NONE;
    }
    TbMessage *m = malloc(sizeof *m);
    if (!m) abort();
    m->next = NULL;
    m->msg = msg;
    *p->msg_last = m;
    p->msg_last = &m->next;
    return msg;
}

void tb_msg_remove(TbProcess *p) {
    TbMessage *m = *p->msg_save;
    *p->msg_save = m->next;
    if (p->msg_last == &m->next) p->msg_last = p->msg_save;
    free(m);
    p->msg_save = &p->msg_first;
}

void tb_sleep_ms(Term timeout) {
    if (!is_small(timeout)) return;
    SWord ms = small_val(timeout);
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}
