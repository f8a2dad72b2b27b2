/**
 * What people read (Art. 18, Art. 20; ): the {@link
 * org.evidencekit.report.ArchiveCatalog} of an archive, read incrementally from its ledger; a
 * {@link org.evidencekit.report.Selection} of it for a {@link org.evidencekit.report.CatalogQuery};
 * the supervisor's {@link org.evidencekit.report.SupervisorReport} and the case file's {@link
 * org.evidencekit.report.RecordSheet} rendered from it in a {@link
 * org.evidencekit.report.Presentation} (time zone and language).
 *
 * <p>Every document states its one time convention (the zone its times are in) and takes every
 * count it shows from the selection's one {@link org.evidencekit.report.Selection#tally()}.
 */
@NullMarked
package org.evidencekit.report;

import org.jspecify.annotations.NullMarked;
