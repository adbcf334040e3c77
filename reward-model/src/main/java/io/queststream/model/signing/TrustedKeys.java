package io.queststream.model.signing;

import io.queststream.model.api.InvalidWeightsException;
import io.queststream.model.api.InvalidWeightsException.Reason;
import io.queststream.schemas.RewardHeads;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The public keys whose signatures a scorer accepts, by key id. Several keys are trusted at once while a signing key
 * is rotated.
 */
public final class TrustedKeys {

  private final Map<String, PublicKey> keys;

  private TrustedKeys(Map<String, PublicKey> keys) {
    this.keys = Map.copyOf(keys);
  }

  public static TrustedKeys of(Collection<PublicKey> keys) {
    Map<String, PublicKey> byId = new LinkedHashMap<>();
    keys.forEach(k -> byId.put(SigningKeys.keyId(k), k));
    return new TrustedKeys(byId);
  }

  public static TrustedKeys none() {
    return new TrustedKeys(Map.of());
  }

  public Set<String> ids() {
    return keys.keySet();
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  /** Passes when the record is signed, by a trusted key, over exactly its current content. */
  public void verify(RewardHeads r) throws InvalidWeightsException {
    String what = "weights " + r.getModelName() + " v" + r.getVersion();
    if (r.getSignature() == null || r.getSignatureKeyId() == null) {
      throw new InvalidWeightsException(Reason.UNSIGNED, what + " are not signed");
    }
    PublicKey key = keys.get(r.getSignatureKeyId());
    if (key == null) {
      throw new InvalidWeightsException(Reason.UNTRUSTED_KEY, what + " are signed by key " + r.getSignatureKeyId()
          + ", which is not trusted (trusted: " + (keys.isEmpty() ? "none configured" : String.join(", ", ids()))
          + ")");
    }
    ByteBuffer sig = r.getSignature().duplicate();
    byte[] signature = new byte[sig.remaining()];
    sig.get(signature);
    boolean valid;
    try {
      Signature s = Signature.getInstance(SigningKeys.ALGORITHM);
      s.initVerify(key);
      s.update(CanonicalHeads.encode(r));
      valid = s.verify(signature);
    } catch (java.security.SignatureException e) {
      valid = false;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot verify Ed25519 signatures on this JDK", e);
    }
    if (!valid) {
      throw new InvalidWeightsException(Reason.BAD_SIGNATURE, what + ": the signature of key "
          + r.getSignatureKeyId() + " does not match the record's content");
    }
  }
}
