package org.evidencekit.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.evidencekit.verify.Verifier;
import picocli.CommandLine.Option;

/** {@code --trust PEM… --tsa-trust PEM…}: who may sign seals and stamp their time. */
final class TrustOptions {
  @Option(
      names = "--trust",
      paramLabel = "PEM",
      description =
          "Trusted signer public key or CA certificate (PEM, repeatable). With it the seal's"
              + " signature must verify and its certificate chain must pass RFC 5280 path"
              + " validation to one of these at the trusted time (the timestamp's, else the"
              + " seal's claimed ingest time). A line 'revoked-key sha256:<hex> <UTC time>'"
              + " revokes a key: its seals count only if a trusted timestamp predates that.")
  List<Path> trust = new ArrayList<>();

  @Option(
      names = "--tsa-trust",
      paramLabel = "PEM",
      description =
          "Trusted time-stamping authority certificate (PEM, repeatable). With it a valid RFC"
              + " 3161 timestamp from one of these is required.")
  List<Path> tsaTrust = new ArrayList<>();

  @Option(
      names = "--crl",
      paramLabel = "PEM",
      description =
          "Certificate revocation list(s) supplied offline (PEM, repeatable). With them every"
              + " certificate of a signer's or TSA's chain must be covered by its issuer's CRL and"
              + " not revoked at the trusted time. 'revoked-key' lines (as in --trust) count too.")
  List<Path> crls = new ArrayList<>();

  @Option(
      names = "--station-register",
      paramLabel = "JSON",
      description =
          "The bureau's station register (evidencekit.station-register/1): which devices each"
              + " station key may seal for. A trusted seal naming a device its signer is not"
              + " bound to, or no device, is DEVICE_NOT_BOUND. Needs --trust.")
  Path stationRegister;

  @Option(
      names = "--max-timestamp-delay",
      paramLabel = "AGE",
      description =
          "How much later than a seal's claimed ingest time its timestamp may be (default 6h;"
              + " e.g. 1h, 90m, PT2H). A later token is TIMESTAMP_DELAYED: it attests only when"
              + " the seal was signed, and the claimed time may be back-dated. Needs --tsa-trust.")
  String maxTimestampDelay;

  boolean given() {
    return !trust.isEmpty() || !tsaTrust.isEmpty();
  }

  /** A verifier from {@code b} with these anchors (none given: signatures stay unchecked). */
  Verifier verifier(Verifier.Builder b) throws IOException {
    if (maxTimestampDelay != null && tsaTrust.isEmpty()) {
      throw new EvidenceCommand.UsageException(
          "--max-timestamp-delay needs --tsa-trust: without a trusted timestamp nothing is attested");
    }
    return Trust.verifier(
        trust,
        tsaTrust,
        crls,
        stationRegister,
        maxTimestampDelay == null ? null : Cli.age("--max-timestamp-delay", maxTimestampDelay),
        b);
  }
}
