/**
 * The storage conformance kit: {@link org.evidencekit.storage.tck.EvidenceStoreTck} (contract tests
 * by operation), {@link org.evidencekit.storage.tck.EvidenceStoreModelProperties} (model-based
 * properties) and {@link org.evidencekit.storage.tck.InMemoryEvidenceStore}, the reference store
 * that passes both.
 */
@NullMarked
package org.evidencekit.storage.tck;

import org.jspecify.annotations.NullMarked;
