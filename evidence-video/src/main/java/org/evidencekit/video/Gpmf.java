package org.evidencekit.video;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The little of GoPro's GPMF telemetry a timeline needs: the first GPS UTC time ({@code GPSU}) and
 * the first GPS fix ({@code GPS5} scaled by {@code SCAL}). KLV: key (4), type (1), size (1), repeat
 * (2), data padded to 4 bytes; type 0 nests. Bounded by the sample's bytes and depth.
 */
final class Gpmf {
  Instant gpsTime;
  String latitude;
  String longitude;

  private static final DateTimeFormatter GPSU = DateTimeFormatter.ofPattern("yyMMddHHmmss.SSS");

  static Gpmf parse(ByteBuffer b) {
    Gpmf g = new Gpmf();
    g.walk(b.duplicate(), 0, null);
    return g;
  }

  private void walk(ByteBuffer b, int depth, int[] scal) {
    int[] scale = scal;
    while (b.remaining() >= 8 && depth < 8) {
      String key =
          new String(new byte[] {b.get(), b.get(), b.get(), b.get()}, StandardCharsets.US_ASCII);
      int type = b.get() & 0xff;
      int size = b.get() & 0xff;
      int repeat = b.getShort() & 0xffff;
      int len = size * repeat;
      int padded = (len + 3) & ~3;
      if (padded > b.remaining()) {
        return;
      }
      ByteBuffer data = b.slice().limit(len);
      b.position(b.position() + padded);
      if (type == 0) {
        walk(data, depth + 1, scale);
      } else if (key.equals("SCAL") && type == 'l' && size == 4) {
        scale = new int[repeat];
        for (int i = 0; i < repeat; i++) {
          scale[i] = data.getInt();
        }
      } else if (key.equals("SCAL") && type == 's' && size == 2) {
        scale = new int[repeat];
        for (int i = 0; i < repeat; i++) {
          scale[i] = data.getShort();
        }
      } else if (key.equals("GPSU") && gpsTime == null && type == 'U' && len >= 16) {
        byte[] s = new byte[16];
        data.get(s);
        try {
          gpsTime =
              LocalDateTime.parse(new String(s, StandardCharsets.US_ASCII), GPSU)
                  .toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
          // an unreadable GPS time is simply absent
        }
      } else if (key.equals("GPS5")
          && latitude == null
          && type == 'l'
          && size == 20
          && repeat > 0) {
        int lat = data.getInt();
        int lon = data.getInt();
        double sLat = scale != null && scale.length > 0 && scale[0] != 0 ? scale[0] : 1;
        double sLon = scale != null && scale.length > 1 && scale[1] != 0 ? scale[1] : sLat;
        latitude = String.format(java.util.Locale.ROOT, "%.6f", lat / sLat);
        longitude = String.format(java.util.Locale.ROOT, "%.6f", lon / sLon);
      }
    }
  }
}
