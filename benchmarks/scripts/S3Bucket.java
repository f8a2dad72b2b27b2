import java.net.URI;
import org.evidencekit.storage.s3.S3EvidenceStore;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * Benchmark helper for the S3 ingest comparison: {@code create BUCKET} makes a versioned bucket
 * without Object Lock (so runs can be deleted), {@code empty BUCKET} deletes every object version
 * and aborts every multipart upload in it. Server and keys from S3_ENDPOINT, S3_ACCESS_KEY,
 * S3_SECRET_KEY.
 */
public final class S3Bucket {
  public static void main(String[] args) throws Exception {
    String bucket = args[1];
    try (S3Client s3 =
        S3EvidenceStore.builder()
            .bucket(bucket)
            .endpoint(URI.create(System.getenv("S3_ENDPOINT")))
            .credentials(System.getenv("S3_ACCESS_KEY"), System.getenv("S3_SECRET_KEY"))
            .buildClient()) {
      if (args[0].equals("create")) {
        s3.createBucket(c -> c.bucket(bucket));
        s3.putBucketVersioning(
            v -> v.bucket(bucket).versioningConfiguration(c -> c.status("Enabled")));
        return;
      }
      for (ObjectVersion v : s3.listObjectVersionsPaginator(l -> l.bucket(bucket)).versions()) {
        s3.deleteObject(d -> d.bucket(bucket).key(v.key()).versionId(v.versionId()));
      }
      for (var m : s3.listObjectVersionsPaginator(l -> l.bucket(bucket)).deleteMarkers()) {
        s3.deleteObject(d -> d.bucket(bucket).key(m.key()).versionId(m.versionId()));
      }
      for (MultipartUpload u : s3.listMultipartUploadsPaginator(l -> l.bucket(bucket)).uploads()) {
        s3.abortMultipartUpload(a -> a.bucket(bucket).key(u.key()).uploadId(u.uploadId()));
      }
    }
  }
}
