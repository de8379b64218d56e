/* interp.h — specific instructions (from ops.def) and the interpreter entry. */
#ifndef TB_INTERP_H
#define TB_INTERP_H
#include "term.h"
#include "process.h"
#include "../loader/genop.h"

enum {
#define OP(name, gen, spec, doc) OP_##name,
#include "ops.def"
#undef OP
    OP__COUNT
};

typedef struct TbOpInfo {
    const char *name;
    int generic;           /* GENOP_* origin or -1 */
    const char *spec;      /* operand letters (ops.def) */
} TbOpInfo;
extern const TbOpInfo tb_op_info[OP__COUNT];

/* The word stored as an instruction's first word: &&label (threaded) or the
 * opcode number (switch).  Filled in by tb_interp_init(). */
extern UWord tb_op_addr[OP__COUNT];
int tb_op_from_addr(UWord w);  /* disassembler: reverse lookup, -1 if none */

/* Register operands are header-tagged words so they can't be confused with constants. */
static inline UWord tb_reg_x(unsigned i) { return (UWord)i << 3; }
static inline UWord tb_reg_y(unsigned i) { return ((UWord)i << 3) | 4; }

void tb_interp_init(void);
/* Run p until it exits (returns 0) or exhausts its reductions (returns 1). */
int tb_interp_run(TbProcess *p);
#endif
