package io.queststream.testkit;

/** JUnit 5 extension behind {@link RealSchemaRegistry}. */
public final class RealSchemaRegistryExtension extends SharedResourceExtension<SchemaRegistryServer> {

  public RealSchemaRegistryExtension() {
    super(SchemaRegistryServer.class);
  }

  @Override
  SchemaRegistryServer start() throws Exception {
    return SchemaRegistryServer.start();
  }
}
