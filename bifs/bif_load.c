/* bif_load.c — loading code at run time: erlang:load_nif/2 (static NIF
 * libraries, emu/nif.c). */
#include "bif.h"
#include "../emu/nif.h"
#include <stdio.h>
#include <string.h>

/* erlang:load_nif(Path, LoadInfo) from the module that calls it. */
BIF_DECL(bif_load_nif_2) {
    char path[512];
    size_t n = 0;
    Term l = args[0];
    for (; is_list(l) && n < sizeof path - 1; l = CDR(list_val(l))) {
        Term c = CAR(list_val(l));
        if (!is_small(c) || small_val(c) < 0 || small_val(c) > 255) BADARG(p);
        path[n++] = (char)small_val(c);
    }
    if (l != NIL) BADARG(p);
    path[n] = 0;
    TbModule *m = p->i ? tb_module_of_code(p->i) : NULL;
    if (!m) BADARG(p);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strchr(base, '.');
    size_t len = dot ? (size_t)(dot - base) : strlen(base);
    const TbNifLib *lib = tb_nif_lib_find(base, len);
    if (!lib) {
        /* NIF .so files come with the erl_nif shim; until then ERTS's dlopen error */
        char msg[1200];
        snprintf(msg, sizeof msg, "Failed to load NIF library %s: '%s.so: cannot open shared object file: No such file or directory'", path, path);
        size_t k = strlen(msg);
        Term s = NIL;
        Term *hp = tb_halloc(p, 2 * k + 6);
        for (size_t i = k; i-- > 0;) { hp[0] = make_small((uint8_t)msg[i]); hp[1] = s; s = make_list(hp); hp += 2; }
        return tb_tuple2(p, AM(error), tb_tuple2(p, tb_atom_cstr("load_failed"), s));
    }
    return tb_nif_install(p, m, lib, args[1]);
}

/* ---------------- prepared code (erlang:load_module/2 and the code server) ---------------- */
#include "../emu/resource.h"
#include "../loader/load.h"
#include "../emu/ptab.h"
#include "../emu/msg.h"
#include "../emu/binary.h"
#include "../emu/gc.h"
#include <stdlib.h>

typedef struct { TbModule *m; bool used; } Prepared;

static void prepared_dtor(void *data) {
    Prepared *pr = data;
    (void)pr;                  /* an unused prepared module keeps its code: literals may be shared */
}
static const TbResourceType prepared_type = {"prepared_code", prepared_dtor};

BIF_DECL(bif_ei_prepare_loading_2) {
    Term mod = args[0], bin = args[1];
    if (!is_atom(mod) || !is_binary(bin)) BADARG(p);
    size_t len;
    if (!tb_iolist_size(bin, &len)) BADARG(p);
    uint8_t *data = malloc(len ? len : 1);
    if (!data) abort();
    tb_iolist_to_bytes(bin, data);
    char err[512];
    TbModule *m = tb_load_prepare(data, len, mod, err, sizeof err);
    free(data);
    if (!m) return tb_tuple2(p, AM(error), AM(badfile));
    Prepared *pr = tb_resource_alloc(&prepared_type, sizeof *pr);
    pr->m = m;
    Term ref = tb_make_magic_ref(p, pr);
    tb_resource_release(tb_resource_of(pr));     /* the term holds it now */
    return ref;
}

BIF_DECL(bif_has_prepared_code_on_load_1) {
    Prepared *pr = tb_get_resource(args[0], &prepared_type);
    if (!pr || pr->used) BADARG(p);
    return pr->m->on_load ? AM_true : AM_false;
}

BIF_DECL(bif_finish_loading_1) {
    Term l = args[0];
    for (; is_list(l); l = CDR(list_val(l))) {
        Prepared *pr = tb_get_resource(CAR(list_val(l)), &prepared_type);
        if (!pr || pr->used) BADARG(p);
    }
    if (l != NIL) BADARG(p);
    /* all or nothing: any module with old code fails the lot */
    Term bad = NIL;
    for (l = args[0]; is_list(l); l = CDR(list_val(l))) {
        Prepared *pr = tb_get_resource(CAR(list_val(l)), &prepared_type);
        TbModule *cur = tb_module_find(pr->m->name);
        if (cur && cur->old) bad = tb_cons(p, pr->m->name, bad);
    }
    if (bad != NIL) return tb_tuple2(p, tb_atom_cstr("not_purged"), bad);
    Term on_load = NIL;
    for (l = args[0]; is_list(l); l = CDR(list_val(l))) {
        Prepared *pr = tb_get_resource(CAR(list_val(l)), &prepared_type);
        pr->used = true;
        tb_load_publish(pr->m);
        if (pr->m->on_load) on_load = tb_cons(p, pr->m->name, on_load);
    }
    /* loaded, exports held back: the caller runs call_on_load_function */
    return on_load != NIL ? tb_tuple2(p, CATOM("on_load"), on_load) : AM(ok);
}

BIF_DECL(bif_call_on_load_function_1) {
    TbModule *m = is_atom(args[0]) ? tb_module_find(args[0]) : NULL;
    if (!m || !m->on_load_pending || !m->on_load) BADARG(p);
    p->i = m->on_load;
    p->arity = 0;
    p->freason = TB_TRAP_CALL;
    p->fvalue = NIL;
    p->ftop = NIL;
    return TB_NONE;
}

BIF_DECL(bif_finish_after_on_load_2) {
    TbModule *m = is_atom(args[0]) ? tb_module_find(args[0]) : NULL;
    if (!m || !m->on_load_pending || (args[1] != AM_true && args[1] != AM_false)) BADARG(p);
    m->on_load_pending = false;
    if (args[1] == AM_true) {
        tb_module_publish_exports(m);
    } else {
        /* the new code goes; the version it replaced is current again */
        tb_module_make_old(m->name);
        TbModule *shell = tb_module_find(m->name);
        TbModule *prev = m->old;
        shell->old = NULL;
        if (prev) { prev->old = NULL; tb_module_register(prev); tb_module_publish_exports(prev); }
        tb_module_changed();
    }
    return AM_true;
}

BIF_DECL(bif_delete_module_1) {
    if (!is_atom(args[0])) BADARG(p);
    TbModule *m = tb_module_find(args[0]);
    if (!m || !m->code) return AM_undefined;
    if (m->old) BADARG(p);
    tb_module_make_old(args[0]);
    return AM_true;
}

BIF_DECL(bif_check_old_code_1) {
    if (!is_atom(args[0])) BADARG(p);
    TbModule *m = tb_module_find(args[0]);
    return m && m->old ? AM_true : AM_false;
}

/* purge_module(Mod, prepare | prepare_on_load | complete | abort): the
 * code purger's protocol (erts_code_purger.erl). */
BIF_DECL(bif_ei_purge_module_2) {
    Term mod = args[0], op = args[1];
    if (!is_atom(mod) || !is_atom(op)) BADARG(p);
    TbModule *m = tb_module_find(mod);
    const TbAtom *a = atom_entry(op);
#define IS(s) (a->len == sizeof(s) - 1 && memcmp(a->name, s, a->len) == 0)
    if (IS("prepare") || IS("prepare_on_load")) return m && m->old ? AM_true : AM_false;
    if (IS("complete")) { tb_module_purge_old(mod); return AM_true; }
    if (IS("abort")) return AM_false;
#undef IS
    BADARG(p);
}

/* Does q run or refer to the old code of mod?  Its position, the return
 * addresses on its stack and the funs on its heap are checked. */
static bool in_old(const TbModule *old, const void *pc) {
    return pc >= (const void *)old->code && pc < (const void *)(old->code + old->code_words);
}
static bool heap_refers(const Term *from, const Term *to, const TbModule *old) {
    for (const Term *t = from; t < to;) {
        Term w = *t;
        if (!is_header(w)) { t += 1; continue; }
        if (header_sub(w) == HDR_SUB_FUN) {
            const TbFunThing *f = (const TbFunThing *)t;
            if (f->fe >= old->funs && f->fe < old->funs + old->nfuns) return true;
        }
        t += tb_object_words(t);
    }
    return false;
}
bool tb_process_refers_old(TbProcess *q, Term mod) {
    TbModule *cur = tb_module_find(mod);
    const TbModule *old = cur ? cur->old : NULL;
    if (!old) return false;
    if (q->i && in_old(old, q->i)) return true;
    for (Term *sp = q->stop; sp < q->hend; sp++)
        if (is_header(*sp) && *sp && in_old(old, (const void *)*sp)) return true;
    if (heap_refers(q->heap, q->htop, old) || heap_refers(q->old_heap, q->old_htop, old)) return true;
    for (TbHeapFrag *f = q->frags; f; f = f->next)
        if (heap_refers(f->mem, f->mem + f->used, old)) return true;
    return false;
}

/* ---------------- reading .beam binaries (erts_internal) ---------------- */
#include "../loader/beam_file.h"

/* The bytes of a binary argument (a copy), or NULL. */
static uint8_t *binary_bytes(Term bin, size_t *len) {
    if (!is_binary(bin) || !tb_iolist_size(bin, len)) return NULL;
    uint8_t *d = malloc(*len ? *len : 1);
    if (!d) abort();
    tb_iolist_to_bytes(bin, d);
    return d;
}

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

/* beamfile_chunk(Beam, "Id"): the chunk's contents, or undefined. */
BIF_DECL(bif_ei_beamfile_chunk_2) {
    char id[4];
    int n = 0;
    Term l = args[1];
    for (; is_list(l) && n < 4; l = CDR(list_val(l))) {
        Term c = CAR(list_val(l));
        if (!is_small(c) || small_val(c) < 0 || small_val(c) > 255) BADARG(p);
        id[n++] = (char)small_val(c);
    }
    if (n != 4 || l != NIL) BADARG(p);
    size_t len;
    uint8_t *d = binary_bytes(args[0], &len);
    if (!d) BADARG(p);
    Term res = AM_undefined;
    if (len >= 12 && memcmp(d, "FOR1", 4) == 0 && memcmp(d + 8, "BEAM", 4) == 0) {
        size_t end = 8 + (size_t)be32(d + 4);
        if (end > len) end = len;
        for (size_t off = 12; off + 8 <= end;) {
            size_t sz = be32(d + off + 4);
            if (off + 8 + sz > end) break;
            if (memcmp(d + off, id, 4) == 0) { res = tb_new_binary(p, d + off + 8, sz); break; }
            off += 8 + ((sz + 3) & ~(size_t)3);
        }
    }
    free(d);
    return res;
}

/* beamfile_module_md5(Beam): the MD5 module_info(md5) would give, or undefined. */
BIF_DECL(bif_ei_beamfile_module_md5_1) {
    size_t len;
    uint8_t *d = binary_bytes(args[0], &len);
    if (!d) BADARG(p);
    TbBeamFile b;
    char err[256];
    Term res = AM_undefined;
    if (tb_beam_read(d, len, &b, err, sizeof err) == 0) {
        res = tb_new_binary(p, b.md5, 16);
        tb_beam_free(&b);
    }
    free(d);
    return res;
}
