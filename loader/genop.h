/*
 * genop.h -- generic BEAM opcodes of OTP 25 (see genop.def).
 */
#ifndef TB_GENOP_H
#define TB_GENOP_H

#include <stdint.h>

#define TB_BEAM_FORMAT_NUMBER 0   /* Code chunk "instruction set" number */
#define TB_GENOP_MAX 180          /* highest generic opcode in OTP 25 */

/* Flags (4th GENOP field). */
#define GENOP_OBSOLETE 0x1u       /* '-' in genop.tab: refused by the loader */

enum {
#define GENOP(NUM, name, ARITY, FLAGS) GENOP_##name = (NUM),
#include "genop.def"
#undef GENOP
    GENOP__LAST = TB_GENOP_MAX
};

typedef struct {
    const char *name;   /* NULL for opcode 0 (unused) */
    uint8_t arity;      /* operands before {list,...} expansion */
    uint8_t flags;      /* GENOP_OBSOLETE */
} TbGenOpInfo;

/* Indexed by opcode, 0..TB_GENOP_MAX (entry 0 is empty). */
extern const TbGenOpInfo tb_genop_info[TB_GENOP_MAX + 1];

/*
 * Operand signatures (defined in beam_file.c), indexed by opcode: one
 * character per operand (strlen(sig) == arity); used by the reader to
 * check operand kinds:
 *   f  label (f tag; f0 = "no fail label" where the op allows it)
 *   u  unsigned (u tag)
 *   a  atom (a tag, incl. a0 = [])
 *   d  destination register: x or y (possibly typed)
 *   x  x register only
 *   y  y register only
 *   s  source: register or constant (x y a i nil z4 bigint, typed reg)
 *   r  float register (z2)
 *   j  fail label or atom (f or a: bs_start_match4 / call_fun2 style)
 *   S  s or u (size operands that may be plain unsigned)
 *   t  test_heap/allocate heap need: u or z3 allocation list
 *   l  {list,...} (z1); always last
 *   *  anything except list
 */
extern const char *const tb_genop_sig[TB_GENOP_MAX + 1];

#endif /* TB_GENOP_H */
