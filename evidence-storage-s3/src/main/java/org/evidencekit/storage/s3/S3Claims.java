package org.evidencekit.storage.s3;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.evidencekit.storage.ObjectExistsException;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.StoreUnavailableException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * Claims of commits on a bucket with Object Lock: the race between writers of one key is decided
 * here, before anything is locked, so that the losers delete unlocked data. A retention sent with
 * the upload before the race is decided would keep each loser's bytes for years, and its record
 * version, under Object Lock, could not be removed either. Every commit of this version claims
 * there, with its retention or without: a writer that did not claim could still land its record
 * between a claimer's look at the records and its locked record, and make it lose with that record
 * locked. Claims live under {@code P claims/<key>}: empty versions, never locked,
 * never read by readers, deleted once their commit is decided; the record's own version order still
 * decides create-only.
 *
 * <p>A commit claims once its bytes are uploaded, right before its first locking request, so it
 * holds its claim for a few requests, not for its upload.
 */
final class S3Claims {
  /**
   * How long a claim is honoured by default: a commit holds its claim for its wait, the data's
   * retention and the record (seconds); an older claim than this before one's own is a writer that
   * died.
   */
  static final Duration CLAIM_LIFETIME = Duration.ofMinutes(10);

  /** How long a commit waits by default for an older live claim to become a record or go away. */
  static final Duration CLAIM_WAIT = Duration.ofSeconds(30);

  /** The shortest and longest claim lifetime a store takes. */
  static final Duration MIN_LIFETIME = Duration.ofSeconds(1);

  static final Duration MAX_LIFETIME = Duration.ofDays(1);

  /** The longest claim wait a store takes (it must also be under half the lifetime). */
  static final Duration MAX_WAIT = Duration.ofHours(1);

  private final S3EvidenceStore store;
  private final Duration lifetime;
  private final Duration wait;

  S3Claims(S3EvidenceStore store, Duration lifetime, Duration wait) {
    this.store = store;
    this.lifetime = lifetime;
    this.wait = wait;
  }

  /** How a duration is said in messages: whole seconds, or whole minutes from two minutes on. */
  static String say(Duration d) {
    return d.toSeconds() >= 120 && d.toSecondsPart() == 0
        ? d.toMinutes() + " minutes"
        : d.toSeconds() + " s";
  }

  /**
   * Claims {@code key} for a commit: the writer whose claim version is the oldest live one goes on
   * if no record exists yet; a later one waits for the older claim to become a record or go away.
   *
   * <p>The claims are looked at before the records: an older claimer writes its record before it
   * releases its claim, so a claim seen gone is a record seen next. Looking at the records first, a
   * claimer could see no record, then the older claim released meanwhile, and go on to lose with
   * its record locked.
   *
   * @return the claim's version, for {@link #release}
   * @throws ObjectExistsException if the key is committed, or becomes so while this waits for an
   *     older claim
   * @throws StoreUnavailableException if an older claim neither becomes a record nor goes away
   *     within the claim wait (a writer stuck, or one that died less than the claim lifetime ago),
   *     or if this commit took half the lifetime to decide (others would soon pass its claim over);
   *     its claim is released
   */
  String claim(ObjectKey key) throws IOException {
    String ck = store.claimKey(key);
    long sent = System.nanoTime();
    String mine;
    try {
      mine =
          S3EvidenceStore.versionOf(
              store.client().putObject(x -> x.bucket(store.bucket()).key(ck), RequestBody.empty()),
              ck);
    } catch (SdkException e) {
      throw S3Errors.map(e, "claim " + key.value() + " for its commit");
    }
    try {
      long deadline = sent + wait.toNanos();
      for (long pause = 50; ; pause = Math.min(2 * pause, 2000)) {
        Optional<ObjectVersion> older = olderLiveClaim(key, ck, mine);
        if (!store.recordVersions(key).isEmpty()) {
          throw new ObjectExistsException(
              key.value() + " already exists (committed by another writer)");
        }
        if (older.isEmpty()) {
          if (System.nanoTime() - sent > lifetime.toNanos() / 2) {
            // a claim older than the lifetime is passed over: one that took half of it to get
            // here could be passed over before its locked record lands
            throw new StoreUnavailableException(
                "claiming "
                    + key.value()
                    + " took more than half the claim lifetime ("
                    + say(lifetime)
                    + "): nothing was written, try again later");
          }
          return mine;
        }
        if (System.nanoTime() - deadline > 0) {
          throw new StoreUnavailableException(
              "another writer has been committing "
                  + key.value()
                  + " since "
                  + older.get().lastModified()
                  + " (its claim "
                  + ck
                  + "; a writer that died leaves one, which is passed over after "
                  + say(lifetime)
                  + "): nothing was written, try again later");
        }
        try {
          Thread.sleep(Math.min(pause, Math.max(1, wait.toMillis())));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting to commit " + key.value());
        }
      }
    } catch (IOException | RuntimeException e) {
      release(key, mine);
      throw e;
    }
  }

  /** The oldest claim before {@code mine} that is not a dead writer's, if any. */
  private Optional<ObjectVersion> olderLiveClaim(ObjectKey key, String ck, String mine)
      throws IOException {
    List<ObjectVersion> claims = store.versions(ck, key);
    int at = -1;
    for (int i = 0; i < claims.size(); i++) {
      if (claims.get(i).versionId().equals(mine)) {
        at = i;
      }
    }
    if (at < 0) {
      throw new StoreUnavailableException(
          "the claim " + ck + " of this commit was deleted by someone else: nothing was written");
    }
    Instant since = claims.get(at).lastModified().minus(lifetime);
    for (int i = claims.size() - 1; i > at; i--) { // oldest first
      ObjectVersion v = claims.get(i);
      if (v.lastModified() != null && !v.lastModified().isBefore(since)) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  /** Removes a claim once its commit is decided; one left behind is passed over, then swept. */
  void release(ObjectKey key, String version) {
    boolean interrupted = Thread.interrupted(); // the SDK sends nothing from an interrupted thread
    try {
      store
          .client()
          .deleteObject(d -> d.bucket(store.bucket()).key(store.claimKey(key)).versionId(version));
    } catch (SdkException ignored) {
      // an empty claim left behind hides nothing; later commits pass over it, the sweep removes it
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
