/**
 * Archive-wide integrity sweeps (R-20, Art. 21(5)) and spot checks (R-17, Art. 20) as an Apache
 * Spark job: {@link org.evidencekit.spark.SparkSweep} and {@link
 * org.evidencekit.spark.SparkSpotCheck}. The work list comes from the ledger, large recordings are
 * split into Merkle segment ranges that verify on their own, and executors read the store through
 * the storage SPI, opened by a {@link org.evidencekit.spark.StoreOpener}. {@code docs/spark.md}
 * shows how to submit the job.
 */
@NullMarked
package org.evidencekit.spark;

import org.jspecify.annotations.NullMarked;
