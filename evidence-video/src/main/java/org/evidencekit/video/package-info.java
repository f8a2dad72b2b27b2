/**
 * Container-level forensics: {@link
 * org.evidencekit.video.MediaProbe} turns an MP4/MOV file into a {@link
 * org.evidencekit.video.RecordingTimeline} from its index alone, with coded findings for gaps,
 * splices, edit lists, creation-time problems and truncation.
 */
@NullMarked
package org.evidencekit.video;

import org.jspecify.annotations.NullMarked;
