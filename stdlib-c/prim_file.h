/* prim_file.h — shared parts of the prim_file NIF library (ERTS's static
 * prim_file_nif): nif_prim_file.c has the file handles, prim_file_fs.c the
 * path operations and the file name BIFs of the prim_file module. */
#ifndef TB_PRIM_FILE_H
#define TB_PRIM_FILE_H
#include "../bifs/bif.h"
#include <sys/stat.h>

/* ERTS's erl_errno_id: the errno's lower-case name as an atom ('unknown' if none). */
Term tb_errno_atom(int err);
/* {error, Name} for an errno. */
Term tb_efile_error(TbProcess *p, int err);

/* A path as prim_file:internal_name2native/1 encodes it: a binary ending
 * in one or more NULs and no NUL before those.  0 and the bytes (a C
 * string) in *path, or EINVAL; free *tmp afterwards. */
int tb_efile_path(Term t, const char **path, uint8_t **tmp);

/* The #file_info{} tuple ERTS's read_info_nif builds (times as POSIX
 * seconds; prim_file.erl converts them).  access is EFILE_ACCESS_*. */
enum { EFILE_ACCESS_NONE = 0, EFILE_ACCESS_READ = 1, EFILE_ACCESS_WRITE = 2 };
Term tb_efile_info_tuple(TbProcess *p, const struct stat *st, unsigned access);

/* Integer helpers with erl_nif's enif_get_* semantics. */
bool tb_efile_get_int64(Term t, int64_t *out);
bool tb_efile_get_int(Term t, int *out);
#endif
