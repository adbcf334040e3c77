package io.queststream.trainer.support;

import io.queststream.model.signing.HeadsSigner;
import io.queststream.model.signing.SigningKeys;
import io.queststream.model.signing.TrustedKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;

/** The tests' trainer signing key, generated once per run, and the trust that goes with it. */
public final class TestKeys {

  public static final KeyPair PAIR = SigningKeys.generate();
  public static final HeadsSigner SIGNER = HeadsSigner.of(PAIR.getPrivate());
  public static final TrustedKeys TRUSTED = TrustedKeys.of(List.of(PAIR.getPublic()));

  private TestKeys() {}

  /** Writes the private key where a trainer configuration's signing.key.file can name it. */
  public static Path privateKeyFile(Path dir) {
    Path file = dir.resolve("weights-signing.key");
    try {
      SigningKeys.writePrivateKey(PAIR.getPrivate(), file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
