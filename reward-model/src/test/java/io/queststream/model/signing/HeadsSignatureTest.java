package io.queststream.model.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.queststream.model.api.InvalidWeightsException;
import io.queststream.model.api.InvalidWeightsException.Reason;
import io.queststream.schemas.RewardHeads;
import io.queststream.schemas.codec.Matrices;
import io.queststream.schemas.weights.RandomHeads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadsSignatureTest {

  private static final KeyPair TRAINER = SigningKeys.generate();
  private static final KeyPair OTHER = SigningKeys.generate();
  private static final HeadsSigner SIGNER = HeadsSigner.of(TRAINER.getPrivate());
  private static final TrustedKeys TRUSTED = TrustedKeys.of(List.of(TRAINER.getPublic()));

  private static RewardHeads heads() {
    return RandomHeads.of("backbone", "mean", 8, 3, 3);
  }

  @Test
  void givenARecordSignedByATrustedKeyWhenVerifiedThenItPasses() {
    RewardHeads signed = SIGNER.sign(heads());

    assertThat(signed.getSignatureKeyId()).isEqualTo(SigningKeys.keyId(TRAINER.getPublic())).hasSize(16);
    assertThatCode(() -> TRUSTED.verify(signed)).doesNotThrowAnyException();
  }

  @Test
  void givenAnUnsignedRecordWhenVerifiedThenItIsRejectedAsUnsigned() {
    assertThatThrownBy(() -> TRUSTED.verify(heads())).isInstanceOf(InvalidWeightsException.class)
        .hasMessage("weights quest-rm v3 are not signed")
        .extracting(e -> ((InvalidWeightsException) e).reason()).isEqualTo(Reason.UNSIGNED);
  }

  @Test
  void givenARecordSignedByAnUntrustedKeyWhenVerifiedThenItIsRejectedNamingTheKey() {
    RewardHeads signed = HeadsSigner.of(OTHER.getPrivate()).sign(heads());

    assertThatThrownBy(() -> TRUSTED.verify(signed)).isInstanceOf(InvalidWeightsException.class)
        .hasMessage("weights quest-rm v3 are signed by key " + SigningKeys.keyId(OTHER.getPublic())
            + ", which is not trusted (trusted: " + SigningKeys.keyId(TRAINER.getPublic()) + ")")
        .extracting(e -> ((InvalidWeightsException) e).reason()).isEqualTo(Reason.UNTRUSTED_KEY);
  }

  @Test
  void givenAnotherKeysSignatureUnderTheTrustedKeyIdWhenVerifiedThenTheSignatureIsBad() {
    RewardHeads forged = RewardHeads.newBuilder(HeadsSigner.of(OTHER.getPrivate()).sign(heads()))
        .setSignatureKeyId(SIGNER.keyId()).build();

    assertThatThrownBy(() -> TRUSTED.verify(forged))
        .extracting(e -> ((InvalidWeightsException) e).reason()).isEqualTo(Reason.BAD_SIGNATURE);
  }

  @Test
  void givenASignedRecordWhenAnyFieldIsChangedAfterSigningThenTheSignatureIsBad() {
    RewardHeads signed = SIGNER.sign(heads());
    float[] w = Matrices.values(signed.getRegression());
    w[0] += 1e-3f;
    List<RewardHeads> tampered = List.of(
        RewardHeads.newBuilder(signed).setVersion(4).build(),
        RewardHeads.newBuilder(signed).setModelName("evil-model").build(),
        RewardHeads.newBuilder(signed).setRegression(Matrices.of(6, 8, w)).build(),
        RewardHeads.newBuilder(signed).setLogitScale(2f).build(),
        RewardHeads.newBuilder(signed).setAttributeNames(List.of("a", "b", "c", "d", "e", "f")).build(),
        RewardHeads.newBuilder(signed).setParentVersion(1L).build(),
        RewardHeads.newBuilder(signed).setMetrics(Map.of("heldout.pairwise_accuracy", 0.99)).build());

    for (RewardHeads t : tampered) {
      assertThatThrownBy(() -> TRUSTED.verify(t)).isInstanceOf(InvalidWeightsException.class)
          .hasMessage("weights " + t.getModelName() + " v" + t.getVersion() + ": the signature of key "
              + SIGNER.keyId() + " does not match the record's content")
          .extracting(e -> ((InvalidWeightsException) e).reason()).isEqualTo(Reason.BAD_SIGNATURE);
    }
  }

  @Test
  void theCanonicalEncodingDoesNotDependOnMapOrder() {
    Map<String, Double> forward = new LinkedHashMap<>();
    forward.put("a", 1.0);
    forward.put("b", 2.0);
    Map<String, Double> backward = new LinkedHashMap<>();
    backward.put("b", 2.0);
    backward.put("a", 1.0);

    assertThat(CanonicalHeads.encode(RewardHeads.newBuilder(heads()).setMetrics(forward).build()))
        .isEqualTo(CanonicalHeads.encode(RewardHeads.newBuilder(heads()).setMetrics(backward).build()));
  }

  @Test
  void givenSeveralTrustedKeysDuringARotationThenVersionsSignedByEitherPass() {
    TrustedKeys both = TrustedKeys.of(List.of(TRAINER.getPublic(), OTHER.getPublic()));

    assertThatCode(() -> both.verify(SIGNER.sign(heads()))).doesNotThrowAnyException();
    assertThatCode(() -> both.verify(HeadsSigner.of(OTHER.getPrivate()).sign(heads()))).doesNotThrowAnyException();
  }

  @Test
  void keysRoundTripThroughPemFilesAndBase64(@TempDir Path dir) throws Exception {
    SigningKeys.writePrivateKey(TRAINER.getPrivate(), dir.resolve("trainer.key"));
    SigningKeys.writePublicKey(TRAINER.getPublic(), dir.resolve("trainer.pub"));
    SigningKeys.writePublicKey(OTHER.getPublic(), dir.resolve("other.pub"));
    String both = Files.readString(dir.resolve("trainer.pub")) + Files.readString(dir.resolve("other.pub"));

    HeadsSigner fromFile = HeadsSigner.of(SigningKeys.readPrivateKey(dir.resolve("trainer.key")));
    assertThat(fromFile.keyId()).isEqualTo(SIGNER.keyId());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("trainer.key"))))
        .isEqualTo("rw-------");
    assertThat(TrustedKeys.of(SigningKeys.publicKeys(both)).ids())
        .containsExactlyInAnyOrder(SIGNER.keyId(), SigningKeys.keyId(OTHER.getPublic()));
    assertThat(SigningKeys.publicKeys(SigningKeys.base64(TRAINER.getPublic()) + ", "
        + SigningKeys.base64(OTHER.getPublic()))).hasSize(2);
    assertThatCode(() -> TrustedKeys.of(SigningKeys.readPublicKeys(dir.resolve("trainer.pub")))
        .verify(fromFile.sign(heads()))).doesNotThrowAnyException();
  }

  @Test
  void aPrivateKeyWhereAPublicKeyIsExpectedIsRefused() {
    String pem = SigningKeys.pem("PRIVATE KEY", TRAINER.getPrivate().getEncoded());

    assertThatThrownBy(() -> SigningKeys.publicKeys(pem)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected PEM \"BEGIN PUBLIC KEY\", found \"BEGIN PRIVATE KEY\"");
  }
}
