/**
 * Sealing: the streaming Merkle {@link org.evidencekit.seal.Sealer}, the {@link
 * org.evidencekit.seal.Seal} it produces, checkpoints for live streams, crash-resume frontiers and
 * range proofs. Requirements.
 */
@NullMarked
package org.evidencekit.seal;

import org.jspecify.annotations.NullMarked;
