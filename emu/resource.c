/* resource.c — see resource.h. */
#include "resource.h"
#include "binary.h"
#include "signals.h"
#include <stdlib.h>
#include <string.h>

void *tb_resource_alloc(const TbResourceType *type, size_t size) {
    TbResource *r = calloc(1, sizeof *r + size);
    if (!r) abort();
    r->refc = 1;
    r->type = type;
    r->size = size;
    tb_ref_new_nums(r->num);
    return r->data;
}


Term tb_make_magic_ref(TbProcess *p, void *data) {
    TbResource *r = tb_resource_of(data);
    TbMagicRef *m = (TbMagicRef *)tb_halloc(p, MAGIC_REF_WORDS);
    m->header = make_header(MAGIC_REF_WORDS - 1, HDR_SUB_REF);
    m->res = r;
    m->unused = 0;
    tb_resource_keep(r);
    m->next = p->off_heap;
    p->off_heap = (TbProcBin *)m;
    return make_boxed((Term *)m);
}

void *tb_get_resource(Term t, const TbResourceType *type) {
    if (!is_boxed(t) || !is_magic_ref_header(*boxed_val(t))) return NULL;
    TbResource *r = ((TbMagicRef *)boxed_val(t))->res;
    return r->type == type ? r->data : NULL;
}

