/**
 * Container-level forensics: {@link
 * org.evidencekit.video.MediaProbe} turns an MP4/MOV (or WAV, AMR, MP3) file into a {@link
 * org.evidencekit.video.RecordingTimeline} from its index and keyframe heads, with coded findings
 * for gaps, splices, edit lists, creation-time problems, truncation and power loss; {@link
 * org.evidencekit.video.FileNameClock} reads the time, sequence and device and officer numbers that
 * cameras write into file names, and {@link org.evidencekit.video.NameTimeCheck} compares them with
 * the recording's own times.
 */
@NullMarked
package org.evidencekit.video;

import org.jspecify.annotations.NullMarked;
