package io.queststream.model.signing;

import io.queststream.schemas.RewardHeads;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;

/** Signs weights versions with one Ed25519 private key (the trainer's). */
public final class HeadsSigner {

  private final PrivateKey key;
  private final String keyId;

  private HeadsSigner(PrivateKey key, String keyId) {
    this.key = key;
    this.keyId = keyId;
  }

  public static HeadsSigner of(PrivateKey key) {
    return new HeadsSigner(key, SigningKeys.keyId(SigningKeys.publicKeyOf(key)));
  }

  public String keyId() {
    return keyId;
  }

  /** A copy of the record with signature_key_id and signature set; any signature it had is replaced. */
  public RewardHeads sign(RewardHeads heads) {
    try {
      Signature s = Signature.getInstance(SigningKeys.ALGORITHM);
      s.initSign(key);
      s.update(CanonicalHeads.encode(heads));
      return RewardHeads.newBuilder(heads).setSignatureKeyId(keyId).setSignature(ByteBuffer.wrap(s.sign())).build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign weights " + heads.getModelName() + " v" + heads.getVersion(), e);
    }
  }
}
