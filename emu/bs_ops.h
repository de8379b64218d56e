/* bs_ops.h — the bit syntax instructions' runtime (operands decoded here,
 * the bit work done by emu/bits.c). */
#ifndef TB_BS_OPS_H
#define TB_BS_OPS_H
#include "process.h"
#define TB_BS_INTEGER 0
#define TB_BS_FLOAT 1
#define TB_BS_BINARY 2
/* bs_create_bin: n list words of 6-item segments; TB_NONE with exception set on error. */
Term tb_bs_create(TbProcess *p, const UWord *list, UWord n, Term *x, Term *E, unsigned unit);
Term tb_bs_writable(TbProcess *p, Term size);
Term tb_bs_start(TbProcess *p, Term src);
bool tb_bs_get(TbProcess *p, TbMatchState *ms, int kind, Term size, UWord unit, UWord flags, Term *out);
bool tb_bs_skip(TbMatchState *ms, Term size, UWord unit);
bool tb_bs_match_bytes(TbMatchState *ms, const uint8_t *bytes, UWord bits);
bool tb_bs_utf(TbProcess *p, TbMatchState *ms, int which, UWord flags, Term *out);
Term tb_bs_tail(TbProcess *p, TbMatchState *ms);
#endif
