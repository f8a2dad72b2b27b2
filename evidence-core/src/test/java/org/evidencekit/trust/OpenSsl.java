package org.evidencekit.trust;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** OpenSSL as an independent party: key maker, signature verifier and RFC 3161 TSA. */
final class OpenSsl {
  private OpenSsl() {}

  /** Result of one openssl run. */
  static final class Result {
    final int exit;
    final String output;

    Result(int exit, String output) {
      this.exit = exit;
      this.output = output;
    }
  }

  static void assumeAvailable() {
    boolean ok;
    try {
      ok = run(Path.of("."), "version").exit == 0;
    } catch (IOException e) {
      ok = false;
    }
    assumeTrue(ok, "openssl is not on the PATH");
  }

  static Result run(Path dir, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add("openssl");
    cmd.addAll(Arrays.asList(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("openssl timed out: " + cmd);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return new Result(p.exitValue(), out);
  }

  static String ok(Path dir, String... args) throws IOException {
    Result r = run(dir, args);
    if (r.exit != 0) {
      throw new AssertionError("openssl " + String.join(" ", args) + " failed:\n" + r.output);
    }
    return r.output;
  }

  /** A test CA (P-256) in {@code dir}: ca.key, ca.crt. */
  static void makeCa(Path dir, String name) throws IOException {
    ok(
        dir,
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        name + ".key",
        "-out",
        name + ".crt",
        "-days",
        "3650",
        "-subj",
        "/CN=" + name,
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign");
  }

  /** Issues a certificate for {@code keyFile}'s key, signed by CA {@code ca}. */
  static void issue(Path dir, String ca, String keyFile, String certFile, String cn, String ext)
      throws IOException {
    Files.writeString(dir.resolve(certFile + ".ext"), "[v3]\n" + ext + "\n");
    ok(dir, "req", "-new", "-key", keyFile, "-out", certFile + ".csr", "-subj", "/CN=" + cn);
    ok(
        dir,
        "x509",
        "-req",
        "-in",
        certFile + ".csr",
        "-CA",
        ca + ".crt",
        "-CAkey",
        ca + ".key",
        "-CAcreateserial",
        "-out",
        certFile,
        "-days",
        "3650",
        "-extfile",
        certFile + ".ext",
        "-extensions",
        "v3");
  }

  /** A running RFC 3161 TSA over HTTP on 127.0.0.1, backed by {@code openssl ts -reply}. */
  static final class Tsa implements AutoCloseable {
    final Path dir;
    final HttpServer server;
    final URI uri;

    private Tsa(Path dir, HttpServer server) {
      this.dir = dir;
      this.server = server;
      this.uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/tsa");
    }

    /** Makes tsa-ca.crt and tsa.crt (extendedKeyUsage critical timeStamping) and starts. */
    static Tsa start(Path dir) throws IOException {
      Files.createDirectories(dir);
      makeCa(dir, "tsa-ca");
      ok(
          dir,
          "genpkey",
          "-algorithm",
          "EC",
          "-pkeyopt",
          "ec_paramgen_curve:P-256",
          "-out",
          "tsa.key");
      issue(
          dir,
          "tsa-ca",
          "tsa.key",
          "tsa.crt",
          "EvidenceKit Test TSA",
          "extendedKeyUsage=critical,timeStamping\nkeyUsage=critical,digitalSignature\n"
              + "basicConstraints=CA:FALSE");
      Files.writeString(dir.resolve("tsaserial"), "01\n");
      Files.writeString(
          dir.resolve("tsa.cnf"),
          String.join(
              "\n",
              "[ tsa ]",
              "default_tsa = tsa1",
              "[ tsa1 ]",
              "dir = " + dir.toAbsolutePath(),
              "serial = $dir/tsaserial",
              "crypto_device = builtin",
              "signer_cert = $dir/tsa.crt",
              "certs = $dir/tsa.crt",
              "signer_key = $dir/tsa.key",
              "signer_digest = sha256",
              "default_policy = 1.2.3.4.1",
              "digests = sha256, sm3",
              "accuracy = secs:1",
              "ordering = yes",
              "tsa_name = yes",
              "ess_cert_id_chain = no",
              "ess_cert_id_alg = sha256",
              ""));
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      Object lock = new Object();
      server.createContext(
          "/tsa",
          ex -> {
            byte[] reply;
            synchronized (lock) {
              try (InputStream in = ex.getRequestBody()) {
                Files.write(dir.resolve("req.tsq"), in.readAllBytes());
              }
              Result r =
                  run(
                      dir,
                      "ts",
                      "-reply",
                      "-config",
                      "tsa.cnf",
                      "-queryfile",
                      "req.tsq",
                      "-out",
                      "resp.tsr");
              reply = r.exit == 0 ? Files.readAllBytes(dir.resolve("resp.tsr")) : null;
            }
            if (reply == null) {
              ex.sendResponseHeaders(500, -1);
            } else {
              ex.getResponseHeaders().set("Content-Type", "application/timestamp-reply");
              ex.sendResponseHeaders(200, reply.length);
              ex.getResponseBody().write(reply);
            }
            ex.close();
          });
      server.start();
      return new Tsa(dir, server);
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
