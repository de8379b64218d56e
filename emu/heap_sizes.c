/* heap_sizes.c — see heap_sizes.h. */
#include "heap_sizes.h"

/* A Fibonacci-like series, then +20% steps, as ERTS. */
UWord tb_heap_sizes[TB_HEAP_SIZES];

__attribute__((constructor)) static void heap_sizes_init(void) {
    tb_heap_sizes[0] = 12;
    tb_heap_sizes[1] = 38;
    for (int i = 2; i < 23; i++) tb_heap_sizes[i] = tb_heap_sizes[i - 1] + tb_heap_sizes[i - 2] + 1;
    for (int i = 23; i < TB_HEAP_SIZES; i++) tb_heap_sizes[i] = tb_heap_sizes[i - 1] + tb_heap_sizes[i - 1] / 5;
}

int tb_heap_size_index(UWord n) {
    int lo = 0, hi = TB_HEAP_SIZES - 1;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (tb_heap_sizes[mid] >= n) hi = mid; else lo = mid + 1;
    }
    return lo;
}

