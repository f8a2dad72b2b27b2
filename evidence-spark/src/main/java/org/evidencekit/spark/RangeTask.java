package org.evidencekit.spark;

import java.io.Serializable;

/**
 * A run of whole Merkle segments of one large recording: it verifies on its own against the sealed
 * root (an inclusion proof per segment), so one recording spreads over many executors. The seal
 * digest pins the seal the first pass checked against the ledger.
 */
final class RangeTask implements Serializable {
  private static final long serialVersionUID = 1L;

  final String key;
  final String sealDigest;
  final long offset;
  final long length;

  RangeTask(String key, String sealDigest, long offset, long length) {
    this.key = key;
    this.sealDigest = sealDigest;
    this.offset = offset;
    this.length = length;
  }
}
