package org.evidencekit.video;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The findings of one probe, with at most {@link #PER_CODE} listed per code: a damaged or hostile
 * index can repeat one finding a million times, and the report (and the heap) must stay the size of
 * what a reader can use. The rest are counted, and {@link #closed()} says how many there were.
 */
final class FindingList extends ArrayList<MediaFinding> {
  private static final long serialVersionUID = 1L;

  /** Findings of one code that are listed one by one. */
  static final int PER_CODE = 100;

  private final Map<String, Long> dropped = new LinkedHashMap<>();
  private final Map<String, Integer> listed = new LinkedHashMap<>();

  @Override
  public boolean add(MediaFinding f) {
    int n = listed.merge(f.code(), 1, Integer::sum);
    if (n > PER_CODE) {
      listed.put(f.code(), PER_CODE);
      dropped.merge(f.code(), 1L, Long::sum);
      return false;
    }
    return super.add(f);
  }

  /**
   * Forgets the findings after the first {@code n}: those of an index that was then given up
   * describe tracks the timeline no longer has.
   */
  void keepFirst(int n) {
    if (n < size()) {
      subList(n, size()).clear();
      listed.clear();
      dropped.clear();
      forEach(f -> listed.merge(f.code(), 1, Integer::sum));
    }
  }

  /** The listed findings, each capped code followed by one finding counting the unlisted rest. */
  List<MediaFinding> closed() {
    List<MediaFinding> out = new ArrayList<>(this);
    dropped.forEach(
        (code, n) ->
            out.add(
                MediaFinding.of(
                    code,
                    n
                        + " more "
                        + code
                        + " finding(s) are not listed (the first "
                        + PER_CODE
                        + " are)")));
    return List.copyOf(out);
  }
}
