package org.evidencekit.continuity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Set operations on lists of intervals (sorted, merged results). */
final class Intervals {
  private Intervals() {}

  static List<Interval> union(List<Interval> in) {
    List<Interval> sorted = new ArrayList<>(in);
    sorted.sort(Comparator.comparing(Interval::start));
    List<Interval> out = new ArrayList<>();
    for (Interval i : sorted) {
      if (!out.isEmpty() && !i.start().isAfter(out.get(out.size() - 1).end())) {
        Interval last = out.remove(out.size() - 1);
        out.add(new Interval(last.start(), i.end().isAfter(last.end()) ? i.end() : last.end()));
      } else {
        out.add(i);
      }
    }
    return out;
  }

  static List<Interval> intersect(List<Interval> sortedUnion, Interval w) {
    List<Interval> out = new ArrayList<>();
    for (Interval i : sortedUnion) {
      Instant s = i.start().isAfter(w.start()) ? i.start() : w.start();
      Instant e = i.end().isBefore(w.end()) ? i.end() : w.end();
      if (s.isBefore(e)) {
        out.add(new Interval(s, e));
      }
    }
    return out;
  }

  static List<Interval> subtract(List<Interval> from, List<Interval> minus) {
    List<Interval> result = new ArrayList<>(from);
    for (Interval m : union(minus)) {
      List<Interval> next = new ArrayList<>();
      for (Interval r : result) {
        if (!r.overlaps(m)) {
          next.add(r);
          continue;
        }
        if (r.start().isBefore(m.start())) {
          next.add(new Interval(r.start(), m.start()));
        }
        if (m.end().isBefore(r.end())) {
          next.add(new Interval(m.end(), r.end()));
        }
      }
      result = next;
    }
    return result;
  }

  static double seconds(List<Interval> in) {
    double s = 0;
    for (Interval i : in) {
      s += i.seconds();
    }
    return s;
  }
}
