package org.evidencekit.ingest;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * What the files and folders named for a card hold: the files to take as recordings and every path
 * left out, with the reason. The one search of a card, so that ingesting it ({@link IngestStation},
 * {@code evidence ingest}) and analysing it ({@code evidence analyze}) see the same recordings and
 * list the same skipped paths.
 *
 * <p>A file named is taken as it is (its caller checks it exists). A folder is searched
 * recursively, through the link when it is named by one; within it:
 *
 * <ul>
 *   <li>a link to a folder is not followed (it may lead off the card or round in a loop), a broken
 *       link, a pipe, socket or device is no recording, a seal file ({@code .seal.json}) is none:
 *       each is listed;
 *   <li>operating system debris known by its place and bytes (AppleDouble {@code ._NAME}, {@code
 *       .DS_Store}, {@code .VolumeIcon.icns}, an empty {@code .metadata_never_index}, {@code
 *       Thumbs.db}, {@code desktop.ini}, and what does not start as a recording in {@code
 *       .Spotlight-V100/}, {@code .fseventsd/}, {@code System Volume Information/} and {@code
 *       $RECYCLE.BIN/}) is listed;
 *   <li>every other file is a recording, hidden or not, in a dot-folder or in the trash;
 *   <li>a file reached twice (named, and found in a folder; or in two folders named) is taken once,
 *       the second listed as "named twice";
 *   <li>an excluded path (the store's own folder) is passed over, and a folder named that is, or
 *       lies in, an excluded one is listed.
 * </ul>
 *
 * <p>Files and skipped paths are named as found under the folder named (not where a link leads), in
 * the order named, each folder's files in path order.
 *
 * <p>A file found in a trash folder of the card ({@link #trashFolder}) was deleted there; only the
 * folder named and the path below it are the card's, so a card copied or mounted below a folder
 * that is named like a trash ({@code /media/u/.Trash-1000/card}, {@code ~/$RECYCLE.BIN/copy}) has
 * nothing in the trash for that.
 */
public final class FolderSearch {
  private final List<Path> files;
  private final List<SkippedInput> skipped;
  private final Map<Path, Path> trash;

  private FolderSearch(List<Path> files, List<SkippedInput> skipped, Map<Path, Path> trash) {
    this.files = List.copyOf(files);
    this.skipped = List.copyOf(skipped);
    this.trash = Map.copyOf(trash);
  }

  /**
   * Searches {@code paths} (files and folders, in order), leaving out {@code excluded} and
   * everything under it.
   *
   * @throws IOException if a folder or one of its subfolders cannot be listed (its permissions): it
   *     may hold recordings, so the search is refused naming it, never half-done
   */
  public static FolderSearch of(List<Path> paths, List<Path> excluded) throws IOException {
    requireNonNull(paths, "paths");
    requireNonNull(excluded, "excluded");
    List<Path> leftOut = new ArrayList<>();
    for (Path x : excluded) {
      leftOut.add(requireNonNull(x, "excluded path").toAbsolutePath().normalize());
    }
    List<Path> files = new ArrayList<>();
    List<SkippedInput> skipped = new ArrayList<>();
    Map<Path, Path> trash = new HashMap<>();
    Set<Path> seen = new HashSet<>();
    for (Path given : paths) {
      requireNonNull(given, "path");
      if (!Files.isDirectory(given)) {
        if (seen.add(given.toAbsolutePath().normalize())) {
          files.add(given);
        } else {
          skipped.add(new SkippedInput(given, "named twice"));
        }
        continue;
      }
      Path folderAbs = given.toAbsolutePath().normalize();
      Optional<Path> in = leftOut.stream().filter(folderAbs::startsWith).findFirst();
      if (in.isPresent()) {
        // the whole folder: a slip (the store's folder given to ingest), never passed over silently
        skipped.add(
            new SkippedInput(
                given, "left out: it is (inside) " + in.get() + ", which is excluded"));
        continue;
      }
      search(given, leftOut, seen, files, skipped, trash);
    }
    return new FolderSearch(files, skipped, trash);
  }

  private static void search(
      Path folder,
      List<Path> leftOut,
      Set<Path> seen,
      List<Path> files,
      List<SkippedInput> skipped,
      Map<Path, Path> trash)
      throws IOException {
    // a folder named through a link (a card's mount point reached by a link) is searched where
    // the link leads, its files named under the link as given: walked as it is, the link itself
    // was all there was, and the card was "nothing to ingest"
    Path start = Files.isSymbolicLink(folder) ? folder.toRealPath() : folder;
    List<Path> found;
    try (Stream<Path> walk = Files.walk(start)) {
      found = walk.filter(p -> !p.equals(start)).sorted().toList();
    } catch (UncheckedIOException e) {
      // a subfolder that cannot be listed (its permissions) may hold recordings: refused naming it
      // (AccessDeniedException), not half-listed, nor an internal error
      throw e.getCause();
    }
    // the trash is judged from the folder named down: it may be a trash itself, what lies above
    // it is where the station keeps the card, not the card's
    Path named = folder.toAbsolutePath().normalize();
    Path above = named.getFileName() == null ? named : named.getParent();
    Path from = named.getFileName() == null ? Path.of("") : named.getFileName();
    for (Path walked : found) {
      Path p = start == folder ? walked : folder.resolve(start.relativize(walked));
      Path abs = p.toAbsolutePath().normalize();
      Path walkedAbs = walked.toAbsolutePath().normalize();
      if (leftOut.stream().anyMatch(x -> abs.startsWith(x) || walkedAbs.startsWith(x))) {
        continue; // the store's own folder, or what the caller left out
      }
      if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      String why = why(p, start.relativize(walked));
      if (why != null) {
        skipped.add(new SkippedInput(p, why));
      } else if (!seen.add(abs)) {
        skipped.add(new SkippedInput(p, "named twice"));
      } else {
        files.add(p);
        Path below = from.resolve(start.relativize(walked));
        SystemDebris.trashFolder(below).ifPresent(t -> trash.put(p, above.resolve(t)));
      }
    }
  }

  /** Why the file at {@code p}, at {@code relative} in its folder, is no recording; else null. */
  private static @Nullable String why(Path p, Path relative) {
    if (Files.isSymbolicLink(p) && Files.isDirectory(p)) {
      return "a link to a folder (links to folders are not followed; name the folder to ingest it)";
    }
    if (!Files.isRegularFile(p)) {
      return Files.isSymbolicLink(p) && !Files.exists(p)
          ? "a broken link"
          : "not a regular file (a pipe, socket or device)";
    }
    if (p.getFileName().toString().endsWith(".seal.json")) {
      return "a seal file, not a recording";
    }
    // hidden files and those in hidden folders are recordings too: only what an operating system
    // leaves, known by its place and bytes, is not
    return SystemDebris.reason(relative, p).orElse(null);
  }

  /** The files to take as recordings: those named, then those found, in order. */
  public List<Path> files() {
    return files;
  }

  /** Every path named or found and left out, with the reason, in the order met. */
  public List<SkippedInput> skipped() {
    return skipped;
  }

  /**
   * The trash folder in which this search found {@code file} (one of {@link #files()}), made
   * absolute: a recording there was deleted on the card, and is kept and shown as found there
   * . A trash folder is {@code $RECYCLE.BIN}, {@code RECYCLER}, {@code .Trashes}, {@code
   * .Trash} or {@code .Trash-UID}, in any case, at or below the folder named; the folders above it
   * are where the station keeps the card, not the card's. Empty for a file named one by one (taken
   * as it is, wherever it lies), a file found elsewhere, or one this search did not find.
   */
  public Optional<Path> trashFolder(Path file) {
    return Optional.ofNullable(trash.get(requireNonNull(file, "file")));
  }
}
