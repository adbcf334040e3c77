package io.queststream.streams.support;

import io.queststream.model.signing.HeadsSigner;
import io.queststream.model.signing.SigningKeys;
import java.security.KeyPair;

/** One signing key pair per test run: the tests' trainer signs with it and their apps trust it. */
public final class TestSigning {

  public static final KeyPair KEYS = SigningKeys.generate();
  public static final HeadsSigner SIGNER = HeadsSigner.of(KEYS.getPrivate());
  /** The value of weights.trusted-keys that trusts {@link #SIGNER}. */
  public static final String TRUSTED_KEYS = SigningKeys.base64(KEYS.getPublic());

  private TestSigning() {}
}
