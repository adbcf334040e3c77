package io.queststream.trainer.imports;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Ids derived from content, so the same data always imports to the same ids, whatever the order of the files. */
public final class ContentIds {

  private ContentIds() {}

  /** SHA-256 over the parts, each length-prefixed so that no two different part lists hash alike. */
  public static byte[] sha256(String... parts) {
    MessageDigest md = digest();
    for (String p : parts) {
      byte[] b = (p == null ? "\u0000null" : p).getBytes(StandardCharsets.UTF_8);
      md.update(intBytes(b.length));
      md.update(b);
    }
    return md.digest();
  }

  /** The first 64 bits of {@link #sha256(String...)} in hex: short enough for ids, ample for a few million items. */
  public static String id(String... parts) {
    return HexFormat.of().formatHex(sha256(parts), 0, 8);
  }

  static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static byte[] intBytes(int v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }
}
