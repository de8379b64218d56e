/* atom.h — the global atom table shared by all modules (immutable entries,
 * so readers need no lock once SMP comes; inserts will take a lock). */
#ifndef TB_ATOM_H
#define TB_ATOM_H
#include "term.h"

#define TB_MAX_ATOM_CHARS 255
#define TB_MAX_ATOMS (1u << 20)   /* like ERTS's default atom limit */

enum {
#define ATOM(c, s) AMI_##c,
#include "atoms.def"
#undef ATOM
    AMI__COUNT
};
#define AM(c) make_atom(AMI_##c)
#define AM_false AM(false)
#define AM_true AM(true)
#define AM_ok AM(ok)
#define AM_error AM(error)
#define AM_undefined AM(undefined)
#define AM_badarg AM(badarg)

typedef struct TbAtom {
    const uint8_t *name;  /* UTF-8, not NUL-terminated */
    uint32_t len;         /* bytes */
    uint32_t nchars;      /* code points */
    uint32_t hash;
    bool latin1;          /* every code point < 256 (ATOM_EXT encodable) */
} TbAtom;

extern TbAtom *tb_atoms;
extern uint32_t tb_atom_count;

void tb_atom_init(void);
/* Find or create; returns TB_NONE if the name is not valid UTF-8 or is too long (system_limit). */
Term tb_atom_put(const uint8_t *name, size_t len);
/* Latin-1 input (each byte one code point). */
Term tb_atom_put_latin1(const uint8_t *name, size_t len);
static inline Term tb_atom_cstr(const char *s) { return tb_atom_put((const uint8_t *)s, strlen(s)); }
/* Existing atom only; TB_NONE if absent. */
Term tb_atom_find(const uint8_t *name, size_t len);
static inline const TbAtom *atom_entry(Term a) { return &tb_atoms[atom_val(a)]; }
#endif
