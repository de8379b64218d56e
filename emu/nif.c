/* nif.c — static NIF libraries and their installation (see nif.h). */
#include "nif.h"
#include "atom.h"
#include "interp.h"
#include "ops_words.h"
#include <stdio.h>
#include <string.h>

#define NIF_LIB(lib, load_fn) bool load_fn(TbProcess *p, Term load_info);
#define NIF(lib, name, arity, fn) Term fn(TbProcess *p, Term *args);
#include "../stdlib-c/nifs.def"
#undef NIF
#undef NIF_LIB

static bool loaded[sizeof((const char *[]){
#define NIF_LIB(lib, load_fn) #lib,
#define NIF(lib, name, arity, fn)
#include "../stdlib-c/nifs.def"
#undef NIF
#undef NIF_LIB
    NULL}) / sizeof(const char *)];

static const TbNifLib libs[] = {
#define NIF_LIB(lib, load_fn) {#lib, load_fn},
#define NIF(lib, name, arity, fn)
#include "../stdlib-c/nifs.def"
#undef NIF
#undef NIF_LIB
    {NULL, NULL}
};

static const TbNifFunc funcs[] = {
#define NIF_LIB(lib, load_fn)
#define NIF(lib, name, arity, fn) {#lib, name, arity, fn},
#include "../stdlib-c/nifs.def"
#undef NIF
#undef NIF_LIB
    {NULL, NULL, 0, NULL}
};

const TbNifLib *tb_nif_lib_find(const char *name, size_t len) {
    for (const TbNifLib *l = libs; l->name; l++)
        if (strlen(l->name) == len && memcmp(l->name, name, len) == 0) return l;
    return NULL;
}

static Term error2(TbProcess *p, const char *reason, const char *text) {
    size_t n = strlen(text);
    Term s = NIL;
    Term *hp = tb_halloc(p, 2 * n + 3 + 3);
    for (size_t i = n; i-- > 0;) { hp[0] = make_small((uint8_t)text[i]); hp[1] = s; s = make_list(hp); hp += 2; }
    hp[0] = make_arityval(2); hp[1] = tb_atom_cstr(reason); hp[2] = s;
    Term inner = make_boxed(hp);
    hp += 3;
    hp[0] = make_arityval(2); hp[1] = AM(error); hp[2] = inner;
    return make_boxed(hp);
}

/* The entry of F/A in m (just after its func_info), and its length in words. */
static UWord *function_entry(TbModule *m, Term f, unsigned a, size_t *words) {
    for (unsigned i = 0; i < m->nfunc_starts; i++) {
        const TbFuncStart *fs = &m->func_starts[i];
        if (fs->function != f || fs->arity != a) continue;
        size_t start = fs->offset + W_i_func_info;
        size_t end = i + 1 < m->nfunc_starts ? m->func_starts[i + 1].offset : m->code_words;
        *words = end > start ? end - start : 0;
        return m->code + start;
    }
    return NULL;
}

Term tb_nif_install(TbProcess *p, TbModule *m, const TbNifLib *lib, Term load_info) {
    char msg[300];
    if (loaded[lib - libs]) return error2(p, "reload", "NIF library already loaded (reload disallowed since OTP 20).");
    /* check every function first: a failed load changes nothing */
    for (const TbNifFunc *f = funcs; f->lib; f++) {
        if (strcmp(f->lib, lib->name) != 0) continue;
        size_t words;
        if (!function_entry(m, tb_atom_cstr(f->name), f->arity, &words) || words < W_i_call_nif) {
            const TbAtom *mn = atom_entry(m->name);
            snprintf(msg, sizeof msg, "Function not found %.*s:%s/%u", (int)mn->len, (const char *)mn->name, f->name, f->arity);
            return error2(p, "bad_lib", msg);
        }
    }
    if (lib->load && !lib->load(p, load_info)) {
        snprintf(msg, sizeof msg, "Library load-call unsuccessful (%s).", lib->name);
        return error2(p, "load", msg);
    }
    for (const TbNifFunc *f = funcs; f->lib; f++) {
        if (strcmp(f->lib, lib->name) != 0) continue;
        size_t words;
        UWord *code = function_entry(m, tb_atom_cstr(f->name), f->arity, &words);
        code[0] = tb_op_addr[OP_i_call_nif];
        code[1] = (UWord)f->fn;
    }
    loaded[lib - libs] = true;
    return AM(ok);
}
