/* transform.h — rewrite rules applied to each generic instruction. */
#ifndef TB_TRANSFORM_H
#define TB_TRANSFORM_H
#include "load.h"
/* Emit code for one generic instruction.  Returns the number of FOLLOWING
 * generic instructions it also consumed (peephole fusion), or -1 on error. */
int tb_transform(Loader *ld, int genop, const TbGenArg *args, unsigned n);
#endif
