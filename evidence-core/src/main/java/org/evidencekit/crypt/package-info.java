/**
 * Encryption at rest of sealed recordings: segment-wise AEAD (AES-256-GCM, SM4-GCM) under data keys
 * wrapped by a key-encryption key, verified against the seal as it is decrypted.
 */
@NullMarked
package org.evidencekit.crypt;

import org.jspecify.annotations.NullMarked;
