/**
 * Store implementations shipped with the core: {@link
 * org.evidencekit.store.FileSystemEvidenceStore}, the embedded default, and its {@code file:}
 * provider. Requirements.
 */
@NullMarked
package org.evidencekit.store;

import org.jspecify.annotations.NullMarked;
