/* heap_sizes.h — ERTS's series of process heap sizes (words), used for
 * GC sizing, min_heap_size rounding and system_info(heap_sizes). */
#ifndef TB_HEAP_SIZES_H
#define TB_HEAP_SIZES_H
#include "term.h"
#define TB_HEAP_SIZES 137      /* as many as ERTS has on 64-bit */
extern UWord tb_heap_sizes[TB_HEAP_SIZES];
/* Index of the smallest size >= n (the largest if none is). */
int tb_heap_size_index(UWord n);
static inline UWord tb_heap_size_round(UWord n) { return tb_heap_sizes[tb_heap_size_index(n)]; }
#endif
