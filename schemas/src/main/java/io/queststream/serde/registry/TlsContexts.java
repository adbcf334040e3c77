package io.queststream.serde.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** Builds the SSL context of a registry client from the {@code schema.registry.ssl.*} settings. */
final class TlsContexts {

  private TlsContexts() {}

  static SSLContext from(RegistryClientConfig config) {
    String truststore = config.getString(RegistryClientConfig.SSL_TRUSTSTORE_LOCATION);
    String keystore = config.getString(RegistryClientConfig.SSL_KEYSTORE_LOCATION);
    try {
      if (truststore == null && keystore == null) {
        return SSLContext.getDefault();
      }
      TrustManagerFactory trust = null;
      if (truststore != null) {
        trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(RegistryClientConfig.SSL_TRUSTSTORE_LOCATION, truststore,
            config.getString(RegistryClientConfig.SSL_TRUSTSTORE_TYPE),
            config.getPassword(RegistryClientConfig.SSL_TRUSTSTORE_PASSWORD)));
      }
      KeyManagerFactory keys = null;
      if (keystore != null) {
        Password storePassword = config.getPassword(RegistryClientConfig.SSL_KEYSTORE_PASSWORD);
        Password keyPassword = config.getPassword(RegistryClientConfig.SSL_KEY_PASSWORD);
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(RegistryClientConfig.SSL_KEYSTORE_LOCATION, keystore,
                config.getString(RegistryClientConfig.SSL_KEYSTORE_TYPE), storePassword),
            chars(keyPassword != null ? keyPassword : storePassword));
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(),
          null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new ConfigException("cannot build the TLS context of the schema registry client: "
          + e.getClass().getSimpleName() + " " + e.getMessage());
    }
  }

  private static KeyStore load(String key, String location, String type, Password password) {
    try (InputStream in = Files.newInputStream(Path.of(location))) {
      KeyStore store = KeyStore.getInstance(type);
      store.load(in, chars(password));
      return store;
    } catch (IOException | GeneralSecurityException e) {
      // The exception text of a failed load never contains the password, only what was wrong with the file.
      throw new ConfigException(key, location, "cannot load " + type + " store: "
          + e.getClass().getSimpleName() + " " + e.getMessage());
    }
  }

  private static char[] chars(Password password) {
    return password == null ? null : password.value().toCharArray();
  }
}
