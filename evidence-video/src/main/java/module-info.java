/** EvidenceKit video timelines: MP4/MOV container forensics. JDK only (plus JSpecify). */
module org.evidencekit.video {
  requires static transitive org.jspecify;

  exports org.evidencekit.video;
}
