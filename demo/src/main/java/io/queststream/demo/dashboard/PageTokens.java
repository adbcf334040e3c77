package io.queststream.demo.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tokens served with each page and required on its writes: a random nonce and its HMAC under a key that lives only
 * in this process. Another site cannot read the page (same-origin policy), so it cannot learn a token to send.
 */
final class PageTokens {

  private static final String MAC = "HmacSHA256";
  private static final int NONCE_BYTES = 16;

  private final SecureRandom random = new SecureRandom();
  private final byte[] key = new byte[32];

  PageTokens() {
    random.nextBytes(key);
  }

  String issue() {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    return encode(nonce) + "." + encode(mac(nonce));
  }

  boolean valid(String token) {
    if (token == null) {
      return false;
    }
    int dot = token.indexOf('.');
    if (dot < 0) {
      return false;
    }
    try {
      byte[] nonce = Base64.getUrlDecoder().decode(token.substring(0, dot));
      byte[] mac = Base64.getUrlDecoder().decode(token.substring(dot + 1));
      return nonce.length == NONCE_BYTES && MessageDigest.isEqual(mac, mac(nonce));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private byte[] mac(byte[] nonce) {
    try {
      Mac mac = Mac.getInstance(MAC);
      mac.init(new SecretKeySpec(key, MAC));
      mac.update("quest-stream dashboard page".getBytes(StandardCharsets.US_ASCII));
      return mac.doFinal(nonce);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String encode(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
