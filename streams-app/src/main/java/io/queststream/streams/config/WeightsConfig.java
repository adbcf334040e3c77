package io.queststream.streams.config;

import io.queststream.config.ConfigException;
import io.queststream.model.signing.SigningKeys;
import io.queststream.model.signing.TrustedKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a weights record must be to be installed: for this model, with these attributes, signed by one of these keys.
 *
 * @param trustedKeys public keys as text (PEM blocks or base64 X.509 encodings, comma- or space-separated)
 * @param trustedKeysFile a file of PEM public keys, read at start-up
 */
public record WeightsConfig(String modelName, List<String> attributes, String trustedKeys,
    Optional<Path> trustedKeysFile, Optional<Path> initialFile) {

  public WeightsConfig {
    attributes = List.copyOf(attributes);
    if (modelName.isBlank()) {
      throw new ConfigException(Settings.WEIGHTS_MODEL_NAME.key() + " must name the model whose weights to install");
    }
    if (attributes.isEmpty()) {
      throw new ConfigException(Settings.WEIGHTS_ATTRIBUTES.key() + " must list at least one attribute");
    }
  }

  /** Every key of both settings; a setting that cannot be read stops the start-up with its name. */
  public TrustedKeys keys() {
    List<PublicKey> keys = new ArrayList<>();
    try {
      keys.addAll(SigningKeys.publicKeys(trustedKeys));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(Settings.WEIGHTS_TRUSTED_KEYS.key() + ": " + e.getMessage());
    }
    if (trustedKeysFile.isPresent()) {
      try {
        keys.addAll(SigningKeys.readPublicKeys(trustedKeysFile.get()));
      } catch (IOException | IllegalArgumentException e) {
        throw new ConfigException(Settings.WEIGHTS_TRUSTED_KEYS_FILE.key() + " " + trustedKeysFile.get() + ": "
            + e.getMessage());
      }
    }
    return TrustedKeys.of(keys);
  }
}
