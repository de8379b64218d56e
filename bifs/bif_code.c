/* bif_code.c — module_info, function_exported, make_fun, fun_info, is_builtin. */
#include "bif.h"

static Term tuple2(TbProcess *p, Term a, Term b) {
    Term *hp = tb_halloc(p, 3);
    hp[0] = make_arityval(2); hp[1] = a; hp[2] = b;
    return make_boxed(hp);
}

static Term cons(TbProcess *p, Term h, Term t) {
    Term *hp = tb_halloc(p, 2);
    hp[0] = h; hp[1] = t;
    return make_list(hp);
}

static Term md5_binary(TbProcess *p, const uint8_t md5[16]) {
    TbHeapBin *hb = (TbHeapBin *)tb_halloc(p, heap_bin_words(16));
    hb->header = make_header(heap_bin_words(16) - 1, HDR_SUB_HEAP_BIN);
    hb->size = 16;
    memcpy(hb->data, md5, 16);
    return make_boxed((Term *)hb);
}

static Term functions_list(TbProcess *p, TbModule *m) {
    Term l = NIL;
    for (unsigned i = m->nfunc_starts; i-- > 0;)
        l = cons(p, tuple2(p, m->func_starts[i].function, make_small(m->func_starts[i].arity)), l);
    return l;
}

static Term module_info_item(TbProcess *p, TbModule *m, Term what) {
    if (what == AM(module)) return m->name;
    if (what == AM(exports)) return m->exports_list;
    if (what == AM(functions)) return functions_list(p, m);
    if (what == AM(attributes)) return m->attributes;
    if (what == AM(compile)) return m->compile_info;
    if (what == AM(md5)) return md5_binary(p, m->md5);
    if (what == AM(nifs)) return NIL;
    if (what == AM(native_addresses)) return NIL;
    return TB_NONE;
}

BIF_DECL(bif_get_module_info_1) {
    TbModule *m = is_atom(args[0]) ? tb_module_find(args[0]) : NULL;
    if (!m) BADARG(p);
    static const int items[] = {AMI_module, AMI_exports, AMI_attributes, AMI_compile, AMI_md5};
    Term l = NIL;
    for (int i = 4; i >= 0; i--)
        l = cons(p, tuple2(p, make_atom(items[i]), module_info_item(p, m, make_atom(items[i]))), l);
    return l;
}

BIF_DECL(bif_get_module_info_2) {
    TbModule *m = is_atom(args[0]) ? tb_module_find(args[0]) : NULL;
    if (!m || !is_atom(args[1])) BADARG(p);
    Term r = module_info_item(p, m, args[1]);
    if (r == TB_NONE) BADARG(p);
    return r;
}

BIF_DECL(bif_function_exported_3) {
    if (!is_atom(args[0]) || !is_atom(args[1]) || !is_small(args[2])) BADARG(p);
    TbExport *e = tb_export_find(args[0], args[1], (unsigned)small_val(args[2]));
    return e && tb_export_defined(e) && !e->bif ? AM_true : AM_false;
}

BIF_DECL(bif_make_fun_3) {
    if (!is_atom(args[0]) || !is_atom(args[1]) || !is_small(args[2]) ||
        small_val(args[2]) < 0 || small_val(args[2]) > 255) BADARG(p);
    TbExport *e = tb_export_get(args[0], args[1], (unsigned)small_val(args[2]));
    Term *hp = tb_halloc(p, 2);
    hp[0] = make_header(1, HDR_SUB_EXPORT);
    hp[1] = (Term)e;
    return make_boxed(hp);
}

BIF_DECL(bif_fun_info_2) {
    Term f = args[0], what = args[1], v;
    if (!is_fun(f) || !is_atom(what)) BADARG(p);
    if (is_export_fun(f)) {
        TbExport *e = export_fun_val(f);
        if (what == AM(type)) v = AM(external);
        else if (what == AM(module)) v = e->module;
        else if (what == AM(name)) v = e->function;
        else if (what == AM(arity)) v = make_small(e->arity);
        else if (what == AM(env)) v = NIL;
        else if (what == AM(pid) || what == AM(index) || what == AM(new_index) || what == AM(uniq) || what == AM(new_uniq)) v = AM_undefined;
        else BADARG(p);
    } else {
        TbFunThing *ft = (TbFunThing *)boxed_val(f);
        TbFunEntry *fe = ft->fe;
        if (what == AM(type)) v = AM(local);
        else if (what == AM(module)) v = fe->module_name;
        else if (what == AM(name)) v = fe->name;
        else if (what == AM(arity)) v = make_small(fe->arity - fe->num_free);
        else if (what == AM(env)) {
            v = NIL;
            for (unsigned i = fe->num_free; i-- > 0;) v = cons(p, ft->env[i], v);
        } else if (what == AM(pid)) v = ft->creator;
        else if (what == AM(index)) v = make_small(fe->index);
        else if (what == AM(new_index)) v = make_small(fe->index);
        else if (what == AM(uniq)) v = make_small(fe->old_uniq);
        else if (what == AM(new_uniq)) v = md5_binary(p, fe->module->md5);
        else BADARG(p);
    }
    return tuple2(p, what, v);
}

BIF_DECL(bif_is_builtin_3) {
    if (!is_atom(args[0]) || !is_atom(args[1]) || !is_small(args[2])) BADARG(p);
    TbExport *e = tb_export_find(args[0], args[1], (unsigned)small_val(args[2]));
    return e && e->bif ? AM_true : AM_false;
}

BIF_DECL(bif_module_loaded_1) {
    if (!is_atom(args[0])) BADARG(p);
    TbModule *m = tb_module_find(args[0]);
    return m && m->code && !m->on_load_pending ? AM_true : AM_false;   /* a deleted module keeps only old code */
}
