package org.evidencekit.storage.s3;

import java.io.IOException;
import java.util.Locale;
import org.evidencekit.storage.InsufficientStorageException;
import org.evidencekit.storage.NoSuchObjectException;
import org.evidencekit.storage.StoreUnavailableException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Maps the SDK's exceptions to the SPI's strict {@link IOException} types. */
final class S3Errors {
  private S3Errors() {}

  static IOException map(SdkException e, String what) {
    if (e instanceof S3Exception) {
      S3Exception s = (S3Exception) e;
      String code = code(s);
      if (s.statusCode() == 404 && !"NoSuchBucket".equals(code)) {
        return new NoSuchObjectException(what + ": " + describe(s));
      }
      if ("QuotaExceeded".equals(code) || s.statusCode() == 507) {
        return new InsufficientStorageException(what + ": storage full: " + describe(s), e);
      }
      return new StoreUnavailableException(what + " failed: " + describe(s), e);
    }
    String m = String.valueOf(e.getMessage());
    if (m.startsWith("Unable to load credentials")) {
      // the SDK lists every provider of its chain with its reason: a paragraph, not a cause
      return new StoreUnavailableException(
          what
              + " failed: no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or"
              + " an AWS profile), or give the store's builder credentials",
          e);
    }
    return new StoreUnavailableException(
        what + " failed: the S3 service cannot be reached: " + m, e);
  }

  /** "403 AccessDenied (message)". */
  static String describe(S3Exception e) {
    String code = code(e);
    String msg = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
    return e.statusCode()
        + " "
        + (code == null ? "" : code)
        + (msg == null ? "" : " (" + msg + ")");
  }

  static String code(S3Exception e) {
    return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
  }

  /** The bucket has no Object Lock configuration (AWS and RGW word it differently). */
  static boolean isNoLockConfiguration(S3Exception e) {
    String code = code(e);
    return code != null && code.toLowerCase(Locale.ROOT).contains("objectlockconfiguration");
  }
}
