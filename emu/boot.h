/* boot.h — booting OTP (see boot.c). */
#ifndef TB_BOOT_H
#define TB_BOOT_H
#include "term.h"
#include <stdbool.h>
/* True once OTP boots: undefined functions go to error_handler, not to the loader. */
extern bool tb_boot_mode;
/* Boot OTP from root with erl's command line; returns when the VM halts. */
int tb_boot(const char *root, int argc, char **argv);
#endif
