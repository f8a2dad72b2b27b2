package org.evidencekit.spark;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SortedMap;
import org.evidencekit.ingest.CatalogIndex;

/** A catalog snapshot's key and bytes as docs/report.md ("Catalog index") specifies them. */
final class CatalogIndexKey {
  private CatalogIndexKey() {}

  static String of(long size) {
    return String.format(Locale.ROOT, "%s%020d.tsv", CatalogIndex.PREFIX, size);
  }

  static byte[] format(long size, String root, SortedMap<String, CatalogIndex.Row> rows) {
    StringBuilder b = new StringBuilder("evidencekit-catalog 1\n");
    b.append("ledger-size\t").append(size).append('\n');
    b.append("ledger-root\t").append(root).append('\n');
    rows.forEach(
        (k, r) ->
            b.append(r.index())
                .append('\t')
                .append(r.sealDigest())
                .append('\t')
                .append(k)
                .append('\n'));
    b.append("end\t").append(rows.size()).append('\n');
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }
}
