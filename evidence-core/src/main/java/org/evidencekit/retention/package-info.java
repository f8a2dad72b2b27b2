/**
 * The retention engine (R-16, audit R-07): policies as data whose case-file terms never go below
 * the regulation's (Art. 19), decisions as pure functions with derivations, holds, retention that
 * only extends with its history kept in the evidence ledger, a trusted clock anchored on the
 * ledger, four-eyes disposition (stored plan, two signed approvals, idempotent execution,
 * tombstones, a signed destruction register), and push-down of retention to stores. See {@code
 * docs/retention.md}.
 */
@NullMarked
package org.evidencekit.retention;

import org.jspecify.annotations.NullMarked;
