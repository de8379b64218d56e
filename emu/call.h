/* call.h — dynamic calls: apply, funs, undefined functions. */
#ifndef TB_CALL_H
#define TB_CALL_H
#include "module.h"
/* Each returns the code to jump to with arguments set up in x, or NULL with
 * the exception set in p. */
const UWord *tb_apply_mfa(TbProcess *p, Term m, Term f, unsigned arity, Term *x);
const UWord *tb_apply_setup(TbProcess *p, Term m, Term f, Term args, Term *x);
const UWord *tb_apply_fun_setup(TbProcess *p, Term fun, Term args, Term *x);
const UWord *tb_fun_setup(TbProcess *p, Term fun, unsigned arity, Term *x);
const UWord *tb_undefined_function(TbProcess *p, TbExport *e);
bool tb_is_function2(Term f, Term arity);
TbExport *tb_erlang_op_export(Term name, unsigned arity);
Term tb_bif_not_implemented(TbProcess *p, Term *args);
/* Code path: loading modules on demand (bare mode). */
void tb_code_add_path(const char *dir, bool front);
TbModule *tb_code_ensure_loaded(Term mod, char *err, size_t errcap);
void tb_code_add_otp(const char *root);
TbModule *tb_code_load_file(const char *path, Term expect, char *err, size_t errcap);
#endif
