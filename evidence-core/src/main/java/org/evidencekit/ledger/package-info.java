/**
 * The evidence ledger: an append-only RFC 9162 log of seals and custody events
 * ({@link org.evidencekit.ledger.EvidenceLedger}), its C2SP {@code tlog-checkpoint} checkpoints
 * ({@link org.evidencekit.ledger.LogCheckpoint}), witnesses that cosign them ({@link
 * org.evidencekit.ledger.Witness}, {@link org.evidencekit.ledger.WitnessPolicy}), inclusion and
 * consistency proofs, device chains, and the archive that sweeps, spot-checks and exports ({@link
 * org.evidencekit.ledger.EvidenceArchive}). Layout and formats: {@code docs/ledger.md}.
 */
@NullMarked
package org.evidencekit.ledger;

import org.jspecify.annotations.NullMarked;
