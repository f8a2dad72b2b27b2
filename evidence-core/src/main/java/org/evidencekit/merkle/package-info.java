/**
 * RFC 9162 Merkle tree hashes, inclusion proofs and consistency proofs, with their verification.
 */
@NullMarked
package org.evidencekit.merkle;

import org.jspecify.annotations.NullMarked;
