package io.queststream.model.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ed25519 keys for signing weights, from the JDK: generated, written and read as PEM (PKCS#8 private keys, X.509
 * public keys: the formats of {@code openssl genpkey -algorithm ed25519} and {@code openssl pkey -pubout}).
 */
public final class SigningKeys {

  public static final String ALGORITHM = "Ed25519";
  private static final Pattern PEM = Pattern.compile(
      "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");

  private SigningKeys() {}

  public static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no " + ALGORITHM, e);
    }
  }

  /** The first 16 hex digits of SHA-256 over the key's X.509 encoding: how records and logs name a key. */
  public static String keyId(PublicKey key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A private key from PEM text ("BEGIN PRIVATE KEY") or bare base64 of its PKCS#8 encoding. */
  public static PrivateKey privateKey(String text) {
    List<byte[]> blocks = blocks(text, "PRIVATE KEY");
    if (blocks.size() != 1) {
      throw new IllegalArgumentException("expected one Ed25519 private key (PEM \"BEGIN PRIVATE KEY\" or base64 "
          + "PKCS#8), found " + blocks.size());
    }
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(blocks.get(0)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 private key: " + e.getMessage(), e);
    }
  }

  /** Every public key in the text: PEM blocks ("BEGIN PUBLIC KEY") or base64 X.509 encodings separated by commas or whitespace. */
  public static List<PublicKey> publicKeys(String text) {
    List<PublicKey> keys = new ArrayList<>();
    try {
      KeyFactory factory = KeyFactory.getInstance(ALGORITHM);
      for (byte[] der : blocks(text, "PUBLIC KEY")) {
        keys.add(factory.generatePublic(new X509EncodedKeySpec(der)));
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
    }
    return keys;
  }

  public static PrivateKey readPrivateKey(Path file) throws IOException {
    return privateKey(Files.readString(file, StandardCharsets.US_ASCII));
  }

  public static List<PublicKey> readPublicKeys(Path file) throws IOException {
    return publicKeys(Files.readString(file, StandardCharsets.US_ASCII));
  }

  /**
   * The public half of an Ed25519 private key. The JDK has no call for it, but its key pair generator derives the
   * pair from the 32 bytes it draws; handing it the private key's bytes yields the same pair. The result is checked
   * by a signature, so a JDK that draws differently fails here instead of signing under a wrong key id.
   */
  public static PublicKey publicKeyOf(PrivateKey key) {
    if (!(key instanceof EdECPrivateKey ed)) {
      throw new IllegalArgumentException("not an Ed25519 private key: " + key.getAlgorithm());
    }
    byte[] seed = ed.getBytes().orElseThrow(() -> new IllegalArgumentException("the private key has no bytes"));
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
      generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
        @Override
        public void nextBytes(byte[] bytes) {
          System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
        }
      });
      KeyPair pair = generator.generateKeyPair();
      byte[] probe = "quest-stream key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(ALGORITHM);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(ALGORITHM);
      verifier.initVerify(pair.getPublic());
      verifier.update(probe);
      if (!verifier.verify(signature)) {
        throw new IllegalStateException("could not derive the public key of an Ed25519 private key on this JDK");
      }
      return pair.getPublic();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no " + ALGORITHM, e);
    }
  }

  /** Writes the private key as PEM, readable by its owner only. */
  public static void writePrivateKey(PrivateKey key, Path file) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
  }

  public static void writePublicKey(PublicKey key, Path file) throws IOException {
    Files.writeString(file, pem("PUBLIC KEY", key.getEncoded()), StandardCharsets.US_ASCII);
  }

  /** Base64 of the X.509 encoding: a public key on one line, for an environment variable. */
  public static String base64(PublicKey key) {
    return Base64.getEncoder().encodeToString(key.getEncoded());
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static List<byte[]> blocks(String text, String type) {
    List<byte[]> out = new ArrayList<>();
    Matcher m = PEM.matcher(text);
    StringBuilder rest = new StringBuilder();
    int last = 0;
    while (m.find()) {
      if (!m.group(1).equals(type)) {
        throw new IllegalArgumentException("expected PEM \"BEGIN " + type + "\", found \"BEGIN " + m.group(1) + "\"");
      }
      out.add(decode(m.group(2).replaceAll("\\s", "")));
      rest.append(text, last, m.start());
      last = m.end();
    }
    rest.append(text.substring(last));
    Arrays.stream(rest.toString().split("[,\\s]+")).filter(s -> !s.isEmpty()).forEach(s -> out.add(decode(s)));
    return out;
  }

  private static byte[] decode(String base64) {
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not base64: '" + (base64.length() > 20 ? base64.substring(0, 20) + "..."
          : base64) + "'", e);
    }
  }
}
