/* nif_ioq.h — a byte queue of binary slices, like erl_nif's ErlNifIOQueue:
 * prim_buffer's buffers and zlib's input queue.  Each slice holds a
 * reference to a TbBinary (refc binaries are shared, heap binaries copied),
 * so queued data costs no copy and peeking the head is a sub binary. */
#ifndef TB_NIF_IOQ_H
#define TB_NIF_IOQ_H
#include "../emu/binary.h"

typedef struct TbIoqSeg {
    TbBinary *bin;       /* one reference held */
    size_t off, len;     /* the slice of bin->data */
} TbIoqSeg;

typedef struct TbIoq {
    TbIoqSeg *v;         /* v[head .. head+n) are queued */
    size_t head, n, cap;
    size_t size;         /* bytes queued */
} TbIoq;

void tb_ioq_init(TbIoq *q);
void tb_ioq_destroy(TbIoq *q);            /* drops every slice */
/* Append a slice (takes over one reference to b); empty slices are dropped. */
void tb_ioq_push(TbIoq *q, TbBinary *b, size_t off, size_t len);
/* Append the bytes of a binary term (byte-sized bitstring). */
void tb_ioq_push_term(TbIoq *q, Term bin);
/* Drop n <= size bytes from the front. */
void tb_ioq_deq(TbIoq *q, size_t n);
/* Copy the first n <= size bytes to out. */
void tb_ioq_copy(const TbIoq *q, size_t n, uint8_t *out);
static inline TbIoqSeg *tb_ioq_seg(const TbIoq *q, size_t i) { return &q->v[q->head + i]; }
/* A binary term for a slice (a heap binary if small, else a sub binary of a ProcBin). */
Term tb_ioq_seg_term(TbProcess *p, const TbIoqSeg *s);

/* An erlang:iovec(): a proper list of binaries.  Its length, or -1 if it is
 * not one.  As erl_nif's enif_inspect_iovec, a bitstring shorter than a
 * byte passes (it adds nothing). */
long tb_iovec_length(Term list);
bool tb_iovec_elem_ok(Term t);
#endif
