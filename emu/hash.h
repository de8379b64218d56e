/* hash.h — ERTS 25's portable term hashes, bit for bit.
 *   tb_make_hash2: erlang:phash2/1,2 (ERTS make_hash2; Bob Jenkins' mix).
 *   tb_make_hash:  erlang:phash/2   (ERTS make_hash; multiplicative).
 *   tb_atom_hash:  ERTS's atom hash (hashpjw over the name with the
 *                  "latin1 clutch"); phash2(Atom) returns it as is.
 * Both term hashes use an explicit stack: any nesting depth is fine.
 * Values for pids/ports/refs use only what ERTS uses: the pid number (low
 * 15 bits of pid_val), the port number, and the ref's lowest word num[0]. */
#ifndef TB_HASH_H
#define TB_HASH_H
#include "term.h"

uint32_t tb_make_hash2(Term t);
uint32_t tb_make_hash(Term t);
uint32_t tb_atom_hash(Term atom);
/* make_hash2's step for a bitstring: Jenkins block hash + trailing bits. */
uint32_t tb_hash2_bits(uint32_t hash, Term t);
#endif
