/* ptab.c — process table and name registry (see ptab.h). */
#include "ptab.h"
#include "atom.h"
#include <stdlib.h>

#define PID_DATA_MASK 0x0FFFFFFFu

static TbProcess **tab;
static UWord tab_size = 0, tab_mask, tab_count, next_data;

void tb_ptab_init(UWord max) {
    UWord n = 1024;
    if (max > ((UWord)1 << 27)) max = (UWord)1 << 27;
    while (n < max) n <<= 1;
    free(tab);
    tab = calloc(n, sizeof *tab);
    if (!tab) abort();
    tab_size = n;
    tab_mask = n - 1;
    tab_count = 0;
    next_data = 0;
}

UWord tb_ptab_max(void) { return tab_size ? tab_size : TB_PTAB_DEFAULT_MAX; }
UWord tb_ptab_count(void) { return tab_count; }

bool tb_ptab_insert(TbProcess *p) {
    if (!tab_size) tb_ptab_init(TB_PTAB_DEFAULT_MAX);
    if (tab_count >= tab_size) return false;
    while (tab[next_data & tab_mask]) next_data = (next_data + 1) & PID_DATA_MASK;
    tab[next_data & tab_mask] = p;
    p->id = make_pid(next_data);
    next_data = (next_data + 1) & PID_DATA_MASK;
    tab_count++;
    return true;
}

void tb_ptab_remove(TbProcess *p) {
    UWord k = pid_val(p->id) & tab_mask;
    if (tab[k] == p) { tab[k] = NULL; tab_count--; }
}

TbProcess *tb_pid_lookup(Term pid) {
    if (!is_internal_pid(pid) || !tab_size) return NULL;
    TbProcess *p = tab[pid_val(pid) & tab_mask];
    return p && p->id == pid ? p : NULL;
}

TbProcess *tb_ptab_next(UWord *i) {
    while (*i < tab_size) {
        TbProcess *p = tab[(*i)++];
        if (p) return p;
    }
    return NULL;
}

/* ---- registry: open addressing on the atom word ---- */
typedef struct { Term name; TbProcess *p; } RegEntry;
static RegEntry *reg;
static UWord reg_cap, reg_count;

static UWord reg_slot(Term name) {
    UWord h = (UWord)(name * 0x9E3779B97F4A7C15ull) >> 17;
    UWord i = h & (reg_cap - 1);
    while (reg[i].name != TB_NONE && reg[i].name != name) i = (i + 1) & (reg_cap - 1);
    return i;
}

static void reg_grow(void) {
    RegEntry *old = reg;
    UWord ocap = reg_cap;
    reg_cap = reg_cap ? 2 * reg_cap : 64;
    reg = calloc(reg_cap, sizeof *reg);   /* TB_NONE is 0: all empty */
    if (!reg) abort();
    for (UWord i = 0; i < ocap; i++)
        if (old[i].name != TB_NONE && old[i].p) reg[reg_slot(old[i].name)] = old[i];
    free(old);
}

bool tb_reg_register(Term name, TbProcess *p) {
    if (p->reg_name != NIL) return false;
    if ((reg_count + 1) * 2 > reg_cap) reg_grow();
    UWord i = reg_slot(name);
    if (reg[i].name == name && reg[i].p) return false;
    reg[i].name = name;
    reg[i].p = p;
    p->reg_name = name;
    reg_count++;
    return true;
}

TbProcess *tb_reg_whereis(Term name) {
    if (!reg_cap) return NULL;
    UWord i = reg_slot(name);
    return reg[i].name == name ? reg[i].p : NULL;
}

/* Deletion with linear probing: re-insert the rest of the cluster. */
bool tb_reg_unregister(Term name) {
    if (!reg_cap) return false;
    UWord i = reg_slot(name);
    if (reg[i].name != name || !reg[i].p) return false;
    reg[i].p->reg_name = NIL;
    reg[i].name = TB_NONE;
    reg[i].p = NULL;
    reg_count--;
    for (UWord j = (i + 1) & (reg_cap - 1); reg[j].name != TB_NONE; j = (j + 1) & (reg_cap - 1)) {
        RegEntry e = reg[j];
        reg[j].name = TB_NONE;
        reg[j].p = NULL;
        reg[reg_slot(e.name)] = e;
    }
    return true;
}

UWord tb_reg_count(void) { return reg_count; }
UWord tb_reg_cap(void) { return reg_cap; }
Term tb_reg_name_at(UWord i) { return reg[i].name != TB_NONE && reg[i].p ? reg[i].name : TB_NONE; }
