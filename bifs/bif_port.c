/* bif_port.c — the port BIFs: the erts_internal ones behind the stock
 * erlang:open_port/2, port_command/2,3, port_control/3, port_call/2,3,
 * port_close/1, port_connect/2, port_info/1,2 (erlang.erl raises the
 * errors: these return the error atom), and erlang:ports/0,
 * port_set_data/2, port_get_data/1.  One scheduler: every port operation
 * completes at once, so no {Ref, Result} reply is needed — except a command
 * to a busy port, which answers when the port is no longer busy. */
#include "bif.h"
#include "../emu/port.h"
#include "../emu/ptab.h"
#include "../emu/gc.h"
#include <stdlib.h>
#include <string.h>

static Term atom(const char *s) { return tb_atom_cstr(s); }

BIF_DECL(bif_ei_open_port_2) { return tb_port_open(p, args[0], args[1]); }

BIF_DECL(bif_ei_port_command_3) {
    unsigned flags = 0;
    Term l = args[2];
    for (; is_list(l); l = CDR(list_val(l))) {
        Term o = CAR(list_val(l));
        if (o == atom("force")) flags |= TB_CMD_FORCE;
        else if (o == atom("nosuspend")) flags |= TB_CMD_NOSUSPEND;
        else return atom("badopt");
    }
    if (l != NIL) return atom("badopt");
    TbPort *pt = tb_port_resolve(args[0]);
    if (!pt) return AM_badarg;
    return tb_port_command(p, pt, args[1], flags);
}

BIF_DECL(bif_ei_port_close_1) {
    TbPort *pt = tb_port_resolve(args[0]);
    if (!pt) return AM_badarg;
    tb_port_close(pt);
    return AM_true;
}

BIF_DECL(bif_ei_port_connect_2) {
    TbPort *pt = tb_port_resolve(args[0]);
    if (!pt || !is_internal_pid(args[1])) return AM_badarg;
    TbProcess *q = tb_pid_lookup(args[1]);
    if (!q || q->status >= TB_PS_EXITING) return AM_badarg;
    tb_port_connect(pt, args[1]);
    return AM_true;
}

static bool get_uint32(Term t, unsigned *out) {
    if (is_small(t)) {
        SWord v = small_val(t);
        if (v < 0 || v > 0xFFFFFFFFll) return false;
        *out = (unsigned)v;
        return true;
    }
    return false;
}

BIF_DECL(bif_ei_port_control_3) {
    TbPort *pt = tb_port_resolve(args[0]);
    unsigned op;
    if (!pt || !get_uint32(args[1], &op)) return AM_badarg;
    Term r = tb_port_control(p, pt, op, args[2]);
    return r == TB_NONE ? AM_badarg : r;
}

BIF_DECL(bif_ei_port_call_3) {
    TbPort *pt = tb_port_resolve(args[0]);
    unsigned op;
    if (!pt || !get_uint32(args[1], &op)) return AM_badarg;
    Term r = tb_port_call(p, pt, op, args[2]);
    return r == TB_NONE ? AM_badarg : r;
}

BIF_DECL(bif_ei_port_info_1) {
    Term a = args[0];
    if (!is_internal_port(a) && !is_atom(a)) return AM_badarg;
    TbPort *pt = tb_port_resolve(a);
    if (!pt) return AM_undefined;
    return tb_port_info_all(p, pt);
}

BIF_DECL(bif_ei_port_info_2) {
    Term a = args[0];
    if (!is_internal_port(a) && !is_atom(a)) return atom("badtype");
    TbPort *pt = tb_port_resolve(a);
    if (!pt) return AM_undefined;
    if (!is_atom(args[1])) return AM_badarg;
    Term r = tb_port_info_item(p, pt, args[1]);
    return r == TB_NONE ? AM_badarg : r;
}

BIF_DECL(bif_ports_0) {
    (void)args;
    UWord n = tb_port_count(), i = 0, k = 0;
    Term *hp = tb_halloc(p, 2 * n);
    Term res = NIL;
    TbPort *pt;
    while ((pt = tb_port_next(&i)) && k < n) {
        hp[2 * k] = pt->id;
        hp[2 * k + 1] = NIL;
        if (k) hp[2 * k - 1] = make_list(&hp[2 * k]);
        k++;
    }
    if (k) res = make_list(hp);
    return res;
}

BIF_DECL(bif_port_set_data_2) {
    TbPort *pt = tb_port_resolve(args[0]);
    if (!pt) BADARG(p);
    Term v = args[1];
    TbHeapFrag *old = pt->data_frag;
    if (is_immed(v)) {
        pt->data = v;
        pt->data_frag = NULL;
    } else {
        UWord sz = tb_size_object(v);
        TbHeapFrag *f = malloc(sizeof *f + sz * sizeof(Term));
        if (!f) abort();
        f->next = NULL;
        f->off_heap = NULL;
        f->used = f->size = sz;
        Term *hp = f->mem;
        pt->data = tb_copy_object(v, &hp, &f->off_heap);
        pt->data_frag = f;
    }
    if (old) tb_heap_frag_free(old);
    return AM_true;
}

BIF_DECL(bif_port_get_data_1) {
    TbPort *pt = tb_port_resolve(args[0]);
    if (!pt) BADARG(p);
    Term v = pt->data;
    if (is_immed(v)) return v;
    UWord sz = tb_size_object(v);
    Term *hp = tb_halloc(p, sz);
    /* ProcBins copied onto the heap join p's off-heap list */
    TbProcBin *oh = p->off_heap;
    Term r = tb_copy_object(v, &hp, &oh);
    p->off_heap = oh;
    return r;
}
