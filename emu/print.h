/* print.h — terms as text, exactly as ERTS 25's erlang:display/1 (%T in
 * erts_printf) writes them:
 *   atoms quoted unless [a-z or Latin-1 lowercase][Latin-1 alnum or _]*
 *     ('a@b' and 'A' are quoted, and, fun are not); inside, \' \\ \n \f \t
 *     \r \b \v and other controls (<32, 128..159) as \ooo; other code
 *     points as raw UTF-8;
 *   lists of Latin-1 printable chars (32..126, 160..255, \n \r \t) as
 *     "..." with " escaped, \n as \n, everything else raw (Latin-1 bytes,
 *     not UTF-8, backslash not escaped); [] for the empty list;
 *   floats "%.6e"; bignums in decimal; <<"abc">> when every byte is
 *     32..126, else <<1,2,3>> / <<1,2,3:4>>; #{k=>v,...} for flat maps,
 *     HAMT internal structure for hash maps: #<fffb>{<1201>{[16|16],...},...};
 *   <0.N.S>, #Port<0.N>, #Ref<0.a.b.c>, #Fun<Module.Index.Uniq> (module
 *     name raw), fun m:f/2 (atoms quoted).
 * Pids: pid_val(t) is ERTS pid data, number = bits 0..14, serial = 15..27.
 * Non-recursive: any depth is fine. */
#ifndef TB_PRINT_H
#define TB_PRINT_H
#include <stdio.h>
#include "term.h"

/* Writes at most cap-1 chars plus NUL (snprintf-like, buf may be NULL when
 * cap is 0); returns the full length the text needs. */
size_t tb_print_term(char *buf, size_t cap, Term t);
/* erlang:display/1: the term and an end of line.  ERTS on Unix writes
 * "\r\n" (erts_printf_add_cr_to_stdout), so we do too. */
#define TB_DISPLAY_EOL "\r\n"
void tb_display(FILE *f, Term t);

/* ---- hook implemented by emu/map.c (maps helper) ----
 * One HAMT node (the map term itself is the head node; inner nodes are
 * HDR_SUB_HASHMAP boxed terms found in slots).  Used to print hash maps
 * like ERTS 25 and to walk them in phash2/compare without an iterator. */
typedef struct TbHamtView {
    bool is_head;         /* head: printed "#<bitmap>{", inner: "<bitmap>{" */
    UWord bitmap;         /* as ERTS prints it in hex: 0xffff for a full head array */
    UWord size;           /* head only: number of key/value pairs in the map */
    unsigned n;           /* number of slots, 1..16 */
    const Term *slots;    /* in ERTS order; each a leaf cons [Key|Value] or an inner node */
} TbHamtView;
void tb_hashmap_view(Term node, TbHamtView *out);
#endif
