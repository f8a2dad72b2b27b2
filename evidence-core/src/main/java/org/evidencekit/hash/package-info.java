/** Hash algorithms and the immutable {@link org.evidencekit.hash.Digest} value. */
@NullMarked
package org.evidencekit.hash;

import org.jspecify.annotations.NullMarked;
