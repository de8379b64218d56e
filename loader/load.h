/* load.h — turning a .beam into a loaded module of threaded code. */
#ifndef TB_LOAD_H
#define TB_LOAD_H
#include "../emu/module.h"
#include "beam_file.h"

typedef struct Loader {
    TbBeamFile *b;
    TbProcess *scratch;        /* heap for decoding literals before they are copied */
    TbModule *mod;
    Term *atoms;               /* AtU8 index -> atom */
    Term *literals;            /* LitT index -> literal term */
    TbExport **imports;        /* ImpT index -> export entry */
    uint8_t *strings;
    UWord *code;
    size_t ncode, cap;
    size_t *label_off;         /* label -> code offset, SIZE_MAX if undefined */
    struct { size_t at; uint32_t label; } *patches;
    size_t npatches, patch_cap;
    TbLineItem *lines;
    size_t nlines, lines_cap;
    long pending_line;         /* location for the next emitted instruction, -1 if none */
    TbFuncStart *func_starts;
    size_t nfunc_starts, fs_cap;
    uint32_t op_index;
    size_t on_load_off;
    bool no_lines;             /* a preloaded module: drop line information */        /* code offset of the on_load function's entry, SIZE_MAX if none */
    char *err;
    size_t errcap;
} Loader;

/* Load a module from .beam bytes; NULL with a one-line error on failure.
 * If expect is not TB_NONE the module must have that name. */
TbModule *tb_load_module(const uint8_t *data, size_t len, Term expect, char *err, size_t errcap);
/* ERTS's preloaded modules (erlang, init, prim_file...) carry no line
 * information, so their stack frames show no location: loaded the same. */
bool tb_is_preloaded(Term module);
/* The two halves of tb_load_module: build the module without making it
 * visible (erlang:prepare_loading), then make it current (finish_loading). */
TbModule *tb_load_prepare(const uint8_t *data, size_t len, Term expect, char *err, size_t errcap);
void tb_load_publish(TbModule *m);

/* Emission primitives shared with transform.c. */
int tb_load_fail(Loader *ld, const char *fmt, ...);
void tb_emit_word(Loader *ld, UWord w);
void tb_emit_label_ref(Loader *ld, uint32_t label);
int tb_emit_list_elem(Loader *ld, const TbGenArg *e);
int tb_begin_op(Loader *ld, int op);
bool tb_op_fits(Loader *ld, int op, const TbGenArg *args, unsigned n);
int tb_emit_op(Loader *ld, int op, const TbGenArg *args, unsigned n);
int tb_emit_generic(Loader *ld, int genop, const TbGenArg *args, unsigned n);
bool tb_arg_const(Loader *ld, const TbGenArg *a, Term *out);
Term tb_make_literal(Loader *ld, Term t);
#endif
