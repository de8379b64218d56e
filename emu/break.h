/* break.h — Ctrl-C (SIGINT): ERTS's break menu (see break.c). */
#ifndef TB_BREAK_H
#define TB_BREAK_H
/* Remember the terminal mode of fd 0 and catch SIGINT; called when OTP boots. */
void tb_break_init(void);
#endif
