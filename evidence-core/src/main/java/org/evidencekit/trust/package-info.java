/**
 * The trust layer: signature suites (Ed25519, ECDSA P-256, SM2/SM3),
 * signing keys from PEM and PKCS#12 or any {@link org.evidencekit.trust.SigningKeyProvider}, RFC
 * 3161 trusted time, explicit trust anchors (keys, and certificates that anchor RFC 5280 path
 * validation at the trusted time, with optional offline CRLs) and the {@link
 * org.evidencekit.trust.TrustPolicy} a verifier applies.
 */
@NullMarked
package org.evidencekit.trust;

import org.jspecify.annotations.NullMarked;
