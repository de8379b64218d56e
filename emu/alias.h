/* alias.h — process aliases (OTP 24+): a reference that a process made
 * into an address, so `Alias ! Msg` reaches it (gen:call replies this way).
 * A global table maps the reference numbers to the owner's pid; each
 * process keeps the list of its aliases, dropped when it exits. */
#ifndef TB_ALIAS_H
#define TB_ALIAS_H
#include "process.h"

enum { TB_ALIAS_EXPLICIT, TB_ALIAS_DEMONITOR, TB_ALIAS_REPLY_DEMONITOR };

void tb_alias_add(TbProcess *p, const uint32_t num[3], int mode);
/* Deactivate one alias of p; false if it was not p's active alias. */
bool tb_alias_remove(TbProcess *p, const uint32_t num[3]);
/* The owner of an active alias (NULL if none) and the alias's mode. */
TbProcess *tb_alias_owner(const uint32_t num[3], int *mode);
/* p exits: all its aliases go. */
void tb_alias_drop_all(TbProcess *p);
#endif
