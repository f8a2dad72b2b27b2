package org.evidencekit.report;

/**
 * The counts a document shows, all taken from one {@link Selection}: the summary, the tables and
 * the command line's one-line answer cannot disagree.
 *
 * @param recordings recordings selected
 * @param intact re-verified and intact
 * @param damaged damaged or missing
 * @param notChecked encrypted recordings whose content could not be checked without their key
 * @param findings every finding listed
 * @param errors findings of severity ERROR
 * @param warnings findings of severity WARNING
 */
public record Tally(
    int recordings,
    int intact,
    int damaged,
    int notChecked,
    int findings,
    int errors,
    int warnings) {}
