package org.evidencekit.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.EvidenceStores;
import org.evidencekit.storage.s3.S3EvidenceStoreProvider;
import org.evidencekit.store.FileSystemEvidenceStoreProvider;

/**
 * Opens the store a {@code --store} argument names: a folder (the filesystem store), a {@code
 * file:} URI, or an {@code s3:} URI ({@code s3://bucket/prefix?endpoint=…}, credentials from the
 * standard AWS chain: {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, profiles).
 */
final class Stores {
  private Stores() {}

  /** A URI scheme and "//" (RFC 3986), as no folder name a user means starts. */
  private static final java.util.regex.Pattern OTHER_SCHEME =
      java.util.regex.Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://");

  /** Whether {@code spec} is a URI of a known store scheme rather than a folder. */
  static boolean isUri(String spec) {
    String s = spec.toLowerCase(Locale.ROOT);
    return s.startsWith("s3://") || s.startsWith("file:");
  }

  /**
   * Opens the store.
   *
   * @param create make a missing folder (ingest); otherwise a missing folder is a usage error
   */
  static EvidenceStore open(String spec, boolean create) throws IOException {
    if (spec == null || spec.isBlank()) {
      throw new EvidenceCommand.UsageException("--store is empty");
    }
    EvidenceStores stores =
        EvidenceStores.builder()
            .register(new FileSystemEvidenceStoreProvider(Clock.systemUTC()))
            .register(new S3EvidenceStoreProvider())
            .build();
    if (isUri(spec)) {
      URI uri;
      try {
        uri = URI.create(spec);
      } catch (IllegalArgumentException e) {
        throw new EvidenceCommand.UsageException("not a valid store URI: " + spec);
      }
      try {
        if ("file".equalsIgnoreCase(uri.getScheme())) {
          return open(Path.of(uri).toString(), create);
        }
        return create ? stores.openOrCreate(uri) : stores.open(uri);
      } catch (IllegalArgumentException e) {
        throw new EvidenceCommand.UsageException(e.getMessage());
      }
    }
    java.util.regex.Matcher scheme = OTHER_SCHEME.matcher(spec);
    if (scheme.lookingAt() && !Files.exists(Path.of(spec))) {
      // "bogus://x" would otherwise be the folder "bogus:/x"
      throw new EvidenceCommand.UsageException(
          "unknown store scheme '"
              + scheme.group(1)
              + "' in "
              + spec
              + ": a store is a folder, a file: URI or s3://bucket/prefix?endpoint=URL");
    }
    Path dir = Path.of(spec);
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new EvidenceCommand.UsageException("store is not a folder: " + dir);
    }
    if (!create) {
      if (!Files.exists(dir)) {
        throw new EvidenceCommand.UsageException(
            "store not found (not a directory): "
                + dir
                + " (evidence ingest creates one; for the ledger commands, mkdir an empty folder)");
      }
      return stores.open(dir.toAbsolutePath().toUri());
    }
    return stores.openOrCreate(dir.toAbsolutePath().toUri());
  }

  /** How reports name where a store is: the URI as given, or the folder's absolute path. */
  static String location(String spec) {
    return isUri(spec) ? spec : Path.of(spec).toAbsolutePath().normalize().toString();
  }
}
