package io.queststream.demo.security;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed broker certificate for localhost in a PKCS12 keystore, and a PKCS12 truststore that trusts it, made
 * with the JDK's keytool. For local brokers and tests; production certificates come from the platform's CA.
 *
 * @param keystore the broker's key and certificate
 * @param truststore the certificate, for clients
 * @param password of both stores (random per call)
 */
public record TlsFiles(Path keystore, Path truststore, String password) {

  public static TlsFiles generate(Path dir) throws IOException, InterruptedException {
    byte[] secret = new byte[18];
    new SecureRandom().nextBytes(secret);
    String password = HexFormat.of().formatHex(secret);
    Path keystore = dir.resolve("broker.keystore.p12");
    Path certificate = dir.resolve("broker.crt");
    Path truststore = dir.resolve("truststore.p12");
    keytool(List.of("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
        "-keystore", keystore.toString(), "-storepass", password, "-keypass", password));
    keytool(List.of("-exportcert", "-alias", "broker", "-rfc", "-keystore", keystore.toString(), "-storepass",
        password, "-file", certificate.toString()));
    keytool(List.of("-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(), "-storetype",
        "PKCS12", "-keystore", truststore.toString(), "-storepass", password));
    return new TlsFiles(keystore, truststore, password);
  }

  private static void keytool(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool " + args.get(0) + " failed: " + output);
    }
  }
}
