package io.queststream.demo.security;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Broker and client settings for SASL_SSL with SCRAM-SHA-256 and the StandardAuthorizer (ACLs), with nothing
 * allowed unless an ACL says so. The controller listener uses SASL_PLAINTEXT/PLAIN on localhost only.
 */
public final class SecureBroker {

  public static final String MECHANISM = "SCRAM-SHA-256";
  public static final String ADMIN = "admin";

  private SecureBroker() {}

  /** Broker properties that replace the plaintext listeners of a local broker. */
  public static Map<String, String> brokerProperties(int port, int controllerPort, TlsFiles tls, String adminPassword) {
    Map<String, String> p = new HashMap<>();
    p.put("listeners", "SASL_SSL://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
    p.put("advertised.listeners", "SASL_SSL://localhost:" + port);
    p.put("inter.broker.listener.name", "SASL_SSL");
    p.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:SASL_PLAINTEXT");
    p.put("sasl.enabled.mechanisms", MECHANISM);
    p.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
    p.put("listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config", scramJaas(ADMIN, adminPassword));
    p.put("sasl.mechanism.controller.protocol", "PLAIN");
    p.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
    p.put("listener.name.controller.plain.sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + ADMIN + "\" password=\""
            + adminPassword + "\" user_" + ADMIN + "=\"" + adminPassword + "\";");
    p.put("ssl.keystore.type", "PKCS12");
    p.put("ssl.keystore.location", tls.keystore().toString());
    p.put("ssl.keystore.password", tls.password());
    p.put("ssl.key.password", tls.password());
    p.put("ssl.truststore.type", "PKCS12");
    p.put("ssl.truststore.location", tls.truststore().toString());
    p.put("ssl.truststore.password", tls.password());
    p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    p.put("super.users", "User:" + ADMIN);
    p.put("allow.everyone.if.no.acl.found", "false");
    return p;
  }

  /** StorageTool format arguments that create the admin's SCRAM credential before the broker first starts. */
  public static List<String> formatArguments(String adminPassword) {
    return List.of("--add-scram", MECHANISM + "=[name=" + ADMIN + ",password=" + adminPassword + "]");
  }

  /** Client properties for one SCRAM user over TLS, trusting the broker's certificate. */
  public static Map<String, String> clientProperties(String bootstrap, TlsFiles tls, String user, String password) {
    return Map.of(
        "bootstrap.servers", bootstrap,
        "security.protocol", "SASL_SSL",
        "sasl.mechanism", MECHANISM,
        "sasl.jaas.config", scramJaas(user, password),
        "ssl.truststore.type", "PKCS12",
        "ssl.truststore.location", tls.truststore().toString(),
        "ssl.truststore.password", tls.password());
  }

  private static String scramJaas(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
        + password + "\";";
  }
}
