/**
 * The storage service-provider interface: {@link org.evidencekit.storage.EvidenceStore}, its
 * capabilities, strict exceptions and the provider registry. Requirements;
 * normative specification in {@code docs/storage-spi.md}.
 */
@NullMarked
package org.evidencekit.storage;

import org.jspecify.annotations.NullMarked;
