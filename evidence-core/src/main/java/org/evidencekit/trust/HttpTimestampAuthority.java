package org.evidencekit.trust;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;
import org.evidencekit.hash.HashAlgorithm;

/**
 * An RFC 3161 client over HTTP (section 3.4): POSTs an {@code application/timestamp-query} with a
 * random nonce and {@code certReq}, and accepts only a granted {@code application/timestamp-reply}
 * whose token matches the request (imprint, nonce).
 */
public final class HttpTimestampAuthority implements TimestampAuthority {
  private static final int MAX_REPLY = 1 << 20;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final URI uri;
  private final HttpClient client;
  private final Duration timeout;

  private HttpTimestampAuthority(URI uri, Duration timeout) {
    this.uri = uri;
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** A client of the TSA at {@code uri} with a 30-second timeout. */
  public static HttpTimestampAuthority create(URI uri) {
    return create(uri, Duration.ofSeconds(30));
  }

  public static HttpTimestampAuthority create(URI uri, Duration timeout) {
    requireNonNull(uri, "uri");
    requireNonNull(timeout, "timeout");
    String s = uri.getScheme();
    if (s == null || !(s.equalsIgnoreCase("http") || s.equalsIgnoreCase("https"))) {
      throw new IllegalArgumentException("TSA URL must be http or https: " + uri);
    }
    return new HttpTimestampAuthority(uri, timeout);
  }

  static ASN1ObjectIdentifier oid(HashAlgorithm algorithm) {
    if (algorithm == HashAlgorithm.SHA256) {
      return NISTObjectIdentifiers.id_sha256;
    }
    if (algorithm == HashAlgorithm.SM3) {
      return GMObjectIdentifiers.sm3;
    }
    throw new IllegalArgumentException("no OID for " + algorithm);
  }

  /** Why a request failed; the JDK's ConnectException carries no message of its own. */
  private String reason(IOException e) {
    int port =
        uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.nio.channels.UnresolvedAddressException
          || t instanceof java.net.UnknownHostException) {
        return "host " + uri.getHost() + " not found";
      }
    }
    if (e instanceof java.net.ConnectException) {
      return "could not connect to " + uri.getHost() + ":" + port;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return e.getClass().getSimpleName();
  }

  @Override
  public byte[] timestamp(HashAlgorithm algorithm, byte[] digest) throws IOException {
    requireNonNull(algorithm, "algorithm");
    requireNonNull(digest, "digest");
    TimeStampRequestGenerator gen = new TimeStampRequestGenerator();
    gen.setCertReq(true);
    TimeStampRequest req = gen.generate(oid(algorithm), digest, new BigInteger(64, RANDOM));
    HttpRequest http =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/timestamp-query")
            .header("Accept", "application/timestamp-reply")
            .POST(HttpRequest.BodyPublishers.ofByteArray(req.getEncoded()))
            .build();
    HttpResponse<InputStream> resp;
    try {
      resp = client.send(http, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TimestampException("interrupted while waiting for the TSA at " + uri);
    } catch (IOException e) {
      throw new TimestampException("TSA at " + uri + " unreachable: " + reason(e), e);
    }
    byte[] body;
    try (InputStream in = resp.body()) {
      body = in.readNBytes(MAX_REPLY + 1);
    }
    if (resp.statusCode() != 200) {
      throw new TimestampException("TSA at " + uri + " answered HTTP " + resp.statusCode());
    }
    if (body.length > MAX_REPLY) {
      throw new TimestampException("TSA reply larger than 1 MiB");
    }
    String type = resp.headers().firstValue("Content-Type").orElse("");
    if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("application/timestamp-reply")) {
      throw new TimestampException("TSA answered content type '" + type + "', not a reply");
    }
    try {
      TimeStampResponse tsr = new TimeStampResponse(body);
      tsr.validate(req);
      TimeStampToken token = tsr.getTimeStampToken();
      if (token == null) {
        throw new TimestampException(
            "TSA refused: status " + tsr.getStatus() + " " + tsr.getStatusString());
      }
      return token.getEncoded();
    } catch (TSPException | RuntimeException e) {
      throw new TimestampException("invalid TSA reply: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "HttpTimestampAuthority[" + uri + "]";
  }
}
