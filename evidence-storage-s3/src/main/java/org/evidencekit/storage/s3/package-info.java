/**
 * The S3 Object Lock store ({@code s3:} URIs): {@link org.evidencekit.storage.s3.S3EvidenceStore}
 * and its provider. Requirements.
 */
@NullMarked
package org.evidencekit.storage.s3;

import org.jspecify.annotations.NullMarked;
