/* bif.c — the BIF table and its export entries. */
#include "bif.h"
#include "../emu/interp.h"

const TbBifInfo tb_bif_table[] = {
#define BIF(mod, fun, arity, cfun) {#mod, fun, arity, cfun},
#include "bif.def"
#undef BIF
};

/* Every BIF gets an export entry whose code is a stub calling it, so that
 * call_ext, apply and fun M:F/A reach BIFs like any function. */
void tb_bif_init(void) {
    for (size_t i = 0; i < sizeof tb_bif_table / sizeof tb_bif_table[0]; i++) {
        const TbBifInfo *b = &tb_bif_table[i];
        TbExport *e = tb_export_get(tb_atom_cstr(b->module), tb_atom_cstr(b->function), b->arity);
        e->bif = b->fn;
        e->stub[4] = tb_op_addr[OP_i_bif_stub];
        e->stub[5] = (UWord)e;
        e->code = &e->stub[4];
    }
    /* apply/2,3 are instructions, not C functions */
    TbExport *a3 = tb_export_get(AM(erlang), AM(apply), 3);
    a3->stub[4] = tb_op_addr[OP_i_apply_list_only];
    a3->code = &a3->stub[4];
    TbExport *a2 = tb_export_get(AM(erlang), AM(apply), 2);
    a2->stub[4] = tb_op_addr[OP_i_apply_fun_only];
    a2->code = &a2->stub[4];
}
