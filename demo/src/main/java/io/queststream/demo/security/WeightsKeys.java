package io.queststream.demo.security;

import io.queststream.model.signing.HeadsSigner;
import io.queststream.model.signing.SigningKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;

/**
 * The signing key pair of a local run: made on first use, kept in a directory, the private key (0600) for the
 * trainer's signing.key.file and the public key for the streams apps' weights.trusted-keys-file.
 */
public final class WeightsKeys {

  private final Path privateKeyFile;
  private final Path publicKeyFile;
  private final HeadsSigner signer;

  private WeightsKeys(Path privateKeyFile, Path publicKeyFile, HeadsSigner signer) {
    this.privateKeyFile = privateKeyFile;
    this.publicKeyFile = publicKeyFile;
    this.signer = signer;
  }

  /** Loads the pair from {@code dir}, or generates and writes it there when there is none yet. */
  public static WeightsKeys createOrLoad(Path dir) throws IOException {
    Path privateFile = dir.toAbsolutePath().resolve("weights-signing.key");
    Path publicFile = dir.toAbsolutePath().resolve("weights-signing.pub");
    if (!Files.exists(privateFile)) {
      Files.createDirectories(dir);
      KeyPair pair = SigningKeys.generate();
      SigningKeys.writePrivateKey(pair.getPrivate(), privateFile);
      SigningKeys.writePublicKey(pair.getPublic(), publicFile);
    }
    return new WeightsKeys(privateFile, publicFile, HeadsSigner.of(SigningKeys.readPrivateKey(privateFile)));
  }

  public Path privateKeyFile() {
    return privateKeyFile;
  }

  public Path publicKeyFile() {
    return publicKeyFile;
  }

  public HeadsSigner signer() {
    return signer;
  }

  public String keyId() {
    return signer.keyId();
  }
}
