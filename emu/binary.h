/* binary.h — binary objects: heap binaries, reference-counted off-heap
 * binaries with their ProcBins, sub binaries, and iolist walking.
 *
 * Ownership: every ProcBin holds one reference to its TbBinary.  A ProcBin on
 * a process heap is linked on p->off_heap; the GC (see tb_off_heap_sweep)
 * drops the reference of every ProcBin it did not keep.  Reference counts use
 * __atomic builtins so that binaries can later be shared between schedulers. */
#ifndef TB_BINARY_H
#define TB_BINARY_H
#include "term.h"
#include "process.h"

#define TB_NBYTES(bits) (((bits) + 7) >> 3)   /* bits to whole bytes */

/* ---- TbBinary: the shared off-heap buffer ---- */
#define TB_BINARY_MAX_BYTES (((size_t)1 << 48) - 1)   /* beyond: system_limit */
/* Bytes held by all off-heap binaries (erlang:memory(binary)). */
extern int64_t tb_binary_bytes;
static inline void tb_binary_account(int64_t delta) { __atomic_add_fetch(&tb_binary_bytes, delta, __ATOMIC_RELAXED); }
TbBinary *tb_binary_alloc(size_t size);                 /* refc 1; aborts on OOM like ERTS */
TbBinary *tb_binary_try_alloc(size_t size);             /* NULL if too large or no memory */
static inline void tb_binary_ref(TbBinary *b) { __atomic_add_fetch(&b->refc, 1, __ATOMIC_RELAXED); }
void tb_binary_unref(TbBinary *b);                      /* frees at zero */
static inline bool tb_binary_unique(TbBinary *b) { return __atomic_load_n(&b->refc, __ATOMIC_ACQUIRE) == 1; }

/* ---- ProcBins ----
 * While TB_PB_WRITABLE is set, flags >> TB_PB_END_SHIFT is the number of bits
 * written so far (the ProcBin's size is TB_NBYTES of it): a sub binary ending
 * exactly there may be appended to in place (emu/bits.c) — but only while
 * the TbBinary is unshared (refc 1), so copying a ProcBin to another heap
 * may keep the flags.  ERTS also retires the sender's writable state on a
 * send; call tb_proc_bin_freeze(src) there to match its memory use. */
#define TB_PB_END_SHIFT 8
static inline UWord tb_pb_end_bits(const TbProcBin *pb) { return pb->flags >> TB_PB_END_SHIFT; }

/* Link a ProcBin that was just built on p's heap (by anyone: copy, ETF...). */
static inline void tb_proc_bin_link(TbProcess *p, TbProcBin *pb) {
    pb->next = p->off_heap;
    p->off_heap = pb;
    p->off_heap_bytes += pb->size;
}
/* Build a ProcBin on p's heap for `b` (takes over one reference). */
Term tb_make_proc_bin(TbProcess *p, TbBinary *b, size_t size);
/* Clear the writable state (and give back the growth slack when unshared):
 * done before anything keeps a raw pointer into the bytes, e.g. a match state. */
void tb_proc_bin_freeze(TbProcBin *pb);

/* ---- creating binaries ---- */
/* Heap binary if len <= 64, else refc; data NULL = uninitialised contents. */
Term tb_new_binary(TbProcess *p, const uint8_t *data, size_t len);
/* Bytes of a binary created just now (heap or refc; a byte-aligned sub binary also works). */
uint8_t *tb_binary_bytes_for_write(Term bin);
/* A bit slice of any bitstring (bitoffs/bitsize relative to it).  A sub of a
 * sub refers to the original; the whole of orig returns orig itself. */
Term tb_make_sub_binary(TbProcess *p, Term orig, UWord bitoffs, UWord bitsize);
/* Underlying heap/refc binary term of any bitstring, plus its absolute bit offset. */
static inline Term tb_real_binary(Term bin, UWord *bitoffs) {
    Term *b = boxed_val(bin);
    if (header_sub(*b) == HDR_SUB_SUB_BIN) { *bitoffs = ((TbSubBin *)b)->bitoffs; return ((TbSubBin *)b)->orig; }
    *bitoffs = 0;
    return bin;
}

/* erlang:binary_part/3 and binary:part/3: whole bytes of any bitstring; a
 * negative len counts backwards from start.  TB_NONE with badarg raised. */
Term tb_binary_part(TbProcess *p, Term bin, Term start, Term len);

/* Bytes of a byte-sized bitstring (NULL if t is not a binary).  A sub
 * binary at an odd bit offset is copied into *tmp (malloc'd; free() it
 * after use — it is NULL when no copy was needed). */
const uint8_t *tb_binary_aligned_bytes(Term t, size_t *len, uint8_t **tmp);

/* ---- process death and GC ---- */
/* Drop one reference of every ProcBin on the list (process exit). */
void tb_proc_bins_release(struct TbProcBin *list);

/* GC protocol.  Either
 *  (a) the collector rebuilds p->off_heap itself from the ProcBins it copies
 *      (as emu/gc.c does), tb_binary_unref()s the ones left behind, then
 *      calls tb_off_heap_gc_done(p); or
 *  (b) it copies ProcBins verbatim (next included) and calls
 *      tb_off_heap_sweep(p, where, ctx): for each ProcBin on the old list,
 *      `where` returns its new address if copied, the same address if it lies
 *      outside the collected area (old generation kept by a minor GC), NULL if
 *      garbage; `next` is read from the new copy, so a forwarding marker may
 *      clobber the old object's fields except for garbage ones.
 * Either way the done step recomputes p->off_heap_bytes and applies ERTS's
 * writable-binary policy (clear ACTIVE_WRITER; shrink inactive writable
 * buffers, which may move their bytes — harmless: match states never point
 * into writable binaries, tb_bs_start_match freezes them first). */
void tb_off_heap_gc_done(TbProcess *p);
typedef TbProcBin *(*TbProcBinWhere)(TbProcBin *pb, void *ctx);
void tb_off_heap_sweep(TbProcess *p, TbProcBinWhere where, void *ctx);

/* ---- iolists ----
 * Deep lists of bytes and binaries with a binary or [] tail; walked without
 * C recursion.  With allow_bits, bitstrings are accepted anywhere
 * (list_to_bitstring).  Sizes in bits. */
bool tb_iolist_bits(Term t, bool allow_bits, UWord *bits);
/* Copy (after a successful tb_iolist_bits) into out starting at bit 0. */
void tb_iolist_write(Term t, uint8_t *out);
bool tb_iolist_size(Term t, size_t *out);               /* false: not an iolist */
bool tb_iolist_to_bytes(Term t, uint8_t *out);          /* false: not an iolist */
#endif
