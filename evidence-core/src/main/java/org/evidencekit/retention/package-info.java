/**
 * The retention engine (R-16, audit R-07): policies as data, decisions as pure functions with
 * derivations, holds, monotonic retention, a trusted clock, planned and approved disposition, and
 * push-down of retention to stores. See {@code docs/retention.md}.
 */
@NullMarked
package org.evidencekit.retention;

import org.jspecify.annotations.NullMarked;
