package org.evidencekit.cli;

import static org.evidencekit.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** evidence ledger checkpoint / witness as the archive and the legal section run them. */
class WitnessCliTest {
  @TempDir Path dir;

  private String store(String name) throws IOException {
    Path s = dir.resolve(name);
    Files.createDirectories(s);
    return s.toString();
  }

  private void append(String store, String subject) {
    CliTest.Run r =
        run(
            "ledger",
            "append",
            "--clock-mark",
            CliTest.mark(dir),
            store,
            "--type",
            "viewed",
            "--actor",
            "x",
            "--subject",
            subject);
    assertEquals(0, r.code(), r.err());
  }

  private CliTest.Run witness(String store, String... more) {
    String[] base = {
      "ledger",
      "witness",
      store,
      "--key",
      dir.resolve("legal.pem").toString(),
      "--name",
      "legal.bureau.example/w1",
      "--trust",
      dir.resolve("log.pub.pem").toString(),
      "--state",
      dir.resolve("legal.state.note").toString()
    };
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return run(all);
  }

  @Test
  void theWitnessFollowsTheLogAndRefusesAForkedHistory() throws IOException {
    String log = store("log");
    String key = dir.resolve("log.pem").toString();
    assertEquals(0, run("keygen", "-o", key).code());
    assertEquals(0, run("keygen", "-o", dir.resolve("legal.pem").toString()).code());
    String origin = "ledger.bureau.example/evidence";
    append(log, "a");
    append(log, "b");
    CliTest.Run r = run("ledger", "checkpoint", log, "--key", key, "--origin", origin);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith(origin + "\n2\n"), r.out());
    assertTrue(r.err().contains("verifier key: " + origin + "+"), r.err());
    r = witness(log);
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("\n\u2014 legal.bureau.example/w1 "), r.out());

    // the log grows; the witness checks the consistency proof from 2 to 4 and cosigns again
    append(log, "c");
    append(log, "d");
    assertEquals(0, run("ledger", "checkpoint", log, "--key", key, "--origin", origin).code());
    r = witness(log);
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().startsWith(origin + "\n4\n"), r.out());

    // the wrong --trust: one sentence saying why (it said "not cosigned" twice over)
    String stranger = dir.resolve("stranger.pem").toString();
    assertEquals(0, run("keygen", "-o", stranger).code()); // and stranger.pub.pem
    CliTest.Run wrong =
        run(
            "ledger",
            "witness",
            log,
            "--key",
            dir.resolve("legal.pem").toString(),
            "--name",
            "legal.bureau.example/w1",
            "--trust",
            dir.resolve("stranger.pub.pem").toString(),
            "--state",
            dir.resolve("legal.state.note").toString());
    assertEquals(1, wrong.code(), wrong.out() + wrong.err());
    assertEquals(
        "NOT COSIGNED: the checkpoint is not signed by any of the log keys this witness trusts\n",
        wrong.out());

    // another key cannot take over the checkpoint of this size
    String other = dir.resolve("other.pem").toString();
    assertEquals(0, run("keygen", "-o", other).code());
    r = run("ledger", "checkpoint", log, "--key", other, "--origin", origin);
    assertEquals(2, r.code(), r.out());
    assertTrue(r.err().contains("signed by another key"), r.err());

    // the operator shows the witness another history of the same size, signed with the log key
    String forked = store("forked");
    for (String s : new String[] {"a", "b", "x", "y"}) {
      append(forked, s);
    }
    assertEquals(0, run("ledger", "checkpoint", forked, "--key", key, "--origin", origin).code());
    r = witness(forked);
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().startsWith("NOT COSIGNED"), r.out());
    // and a log rolled back to 2 entries is refused too
    String rolled = store("rolled");
    append(rolled, "a");
    append(rolled, "b");
    assertEquals(0, run("ledger", "checkpoint", rolled, "--key", key, "--origin", origin).code());
    r = witness(rolled);
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("shrank"), r.out());
  }

  /**
   * The README's order: the log is named (--origin) and cosigned, then an export signs its own
   * checkpoint. That checkpoint keeps the log's name, so the witness goes on cosigning (it refused
   * before: "the last cosigned checkpoint is of log 'ledger…', this one of 'evidencekit.ledger/…'",
   * and the operator could not re-sign that size under the name).
   */
  @Test
  void anExportsCheckpointKeepsTheNameTheLogWasGiven() throws IOException {
    String log = store("log");
    String key = dir.resolve("log.pem").toString();
    assertEquals(0, run("keygen", "-o", key).code());
    assertEquals(0, run("keygen", "-o", dir.resolve("legal.pem").toString()).code());
    Path rec = dir.resolve("rec.mp4");
    Files.write(rec, new byte[] {1, 2, 3, 4});
    assertEquals(0, run("seal", rec.toString()).code());
    CliTest.Run r =
        run(
            "ledger",
            "ingest",
            "--clock-mark",
            CliTest.mark(dir),
            log,
            rec.toString(),
            "--as",
            "CAM-7/rec.mp4",
            "--actor",
            "in");
    assertEquals(0, r.code(), r.err());
    String origin = "ledger.bureau.example/evidence";
    assertEquals(0, run("ledger", "checkpoint", log, "--key", key, "--origin", origin).code());
    r = witness(log);
    assertEquals(0, r.code(), r.out() + r.err());
    r =
        run(
            "ledger",
            "export",
            "--clock-mark",
            CliTest.mark(dir),
            log,
            "CAM-7/rec.mp4",
            "--actor",
            "clerk",
            "--reason",
            "appeal",
            "--to",
            "court",
            "--key",
            key,
            "-o",
            dir.resolve("rec.bundle.json").toString());
    assertEquals(0, r.code(), r.out() + r.err());
    r = run("ledger", "checkpoint", log, "--key", key, "--origin", origin);
    assertEquals(0, r.code(), "the export's checkpoint is the named log's: " + r.err());
    assertTrue(r.out().startsWith(origin + "\n2\n"), r.out());
    r = witness(log);
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().startsWith(origin + "\n2\n"), r.out());
    // the bundle checks offline with the log key as before
    r =
        run(
            "ledger",
            "check-bundle",
            dir.resolve("rec.bundle.json").toString(),
            "--content",
            rec.toString(),
            "--trust",
            dir.resolve("log.pub.pem").toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("signed by " + origin + "+"), r.out());
  }
}
