/* msg.h — sending and receiving (single-process stage; see insn_msg.h). */
#ifndef TB_MSG_H
#define TB_MSG_H
#include "process.h"
Term tb_send(TbProcess *p, Term to, Term msg);
void tb_msg_remove(TbProcess *p);
void tb_sleep_ms(Term timeout);
#endif
