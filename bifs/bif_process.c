/* bif_process.c — self, node, references and the process dictionary
 * (emu/pdict.c). */
#include "bif.h"
#include "../emu/signals.h"
#include "../emu/pdict.h"

BIF_DECL(bif_self_0) { (void)args; return p->id; }
BIF_DECL(bif_node_0) { (void)p; (void)args; return AM(nonode_at_nohost); }
BIF_DECL(bif_node_1) {
    if (is_pid(args[0]) || is_port(args[0]) || is_reference(args[0])) return AM(nonode_at_nohost);
    BADARG(p);
}

BIF_DECL(bif_make_ref_0) {
    (void)args;
    uint32_t n[3];
    tb_ref_new_nums(n);                       /* one counter for every reference the VM makes */
    return tb_ref_make(p, n);
}

BIF_DECL(bif_get_1) { return tb_pd_get(p->dict, args[0]); }
BIF_DECL(bif_get_0) { (void)args; return tb_pd_list(p, p->dict, false, NULL, NULL); }
BIF_DECL(bif_get_keys_0) { (void)args; return tb_pd_list(p, p->dict, true, NULL, NULL); }
BIF_DECL(bif_put_2) { return tb_pd_put(p, args[0], args[1]); }
BIF_DECL(bif_erase_1) { return tb_pd_erase(p, args[0]); }
BIF_DECL(bif_erase_0) {
    (void)args;
    Term all = tb_pd_list(p, p->dict, false, NULL, NULL);
    tb_pd_free(p);
    return all;
}
