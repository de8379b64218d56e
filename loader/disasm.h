/* disasm.h — tbeam -dis: print a module's threaded code. */
#ifndef TB_DISASM_H
#define TB_DISASM_H
#include <stdio.h>
/* Load FILE and print its specific instructions; 0 on success, else a
 * one-line error on stderr and non-zero. */
int tb_disasm_file(const char *path, FILE *out);
#endif
