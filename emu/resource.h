/* resource.h — NIF resources: reference-counted off-heap objects of a
 * declared type, held by magic references (see emu/term.h).  The static
 * NIFs (prim_file, zlib, ...) keep their handles in them; the erl_nif shim
 * will use the same objects for enif_alloc_resource. */
#ifndef TB_RESOURCE_H
#define TB_RESOURCE_H
#include "process.h"
#include <stdlib.h>

typedef struct TbResourceType {
    const char *name;
    void (*dtor)(void *data);  /* runs when the last reference goes; may be NULL */
} TbResourceType;

/* A new resource with `size` bytes of zeroed data; one reference held by the caller. */
void *tb_resource_alloc(const TbResourceType *type, size_t size);
static inline TbResource *tb_resource_of(void *data) {
    return (TbResource *)((uint8_t *)data - __builtin_offsetof(TbResource, data));
}
static inline void tb_resource_keep(TbResource *r) { __atomic_add_fetch(&r->refc, 1, __ATOMIC_RELAXED); }
static inline void tb_resource_release(TbResource *r) {
    if (__atomic_sub_fetch(&r->refc, 1, __ATOMIC_ACQ_REL) != 0) return;
    if (r->type && r->type->dtor) r->type->dtor(r->data);
    free(r);
}
/* A magic reference to r on p's heap (takes a new reference to r). */
Term tb_make_magic_ref(TbProcess *p, void *data);
/* The data of a magic reference of this type, or NULL. */
void *tb_get_resource(Term t, const TbResourceType *type);

/* Off-heap list members are ProcBins or magic refs: drop the reference of one. */
void tb_binary_unref(TbBinary *b);
static inline void tb_off_heap_release(struct TbProcBin *obj) {
    if (is_magic_ref_header(obj->header)) tb_resource_release(((TbMagicRef *)obj)->res);
    else tb_binary_unref(obj->val);
}
#endif
