/**
 * Continuity and compliance analysis: device sessions of split files,
 * coverage of enforcement actions from the media actually present with Art. 15 stage pauses, and
 * findings with the article clauses they concern, the action, officer, device and place, a
 * follow-up, and text in English or Chinese with local times. Format-agnostic: {@code
 * evidence-video} provides the timelines.
 */
@NullMarked
package org.evidencekit.continuity;

import org.jspecify.annotations.NullMarked;
