/**
 * Verification: the {@link org.evidencekit.verify.Verifier}, its {@link
 * org.evidencekit.verify.VerificationReport} values with coded findings, range proofs and a
 * verifying channel that releases only checked bytes. Requirement R-05.
 */
@NullMarked
package org.evidencekit.verify;

import org.jspecify.annotations.NullMarked;
