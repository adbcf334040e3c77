package io.queststream.testkit;

/** JUnit 5 extension behind {@link RealKafka}. */
public final class RealKafkaExtension extends SharedResourceExtension<KafkaBroker> {

  public RealKafkaExtension() {
    super(KafkaBroker.class);
  }

  @Override
  KafkaBroker start() throws Exception {
    return KafkaBroker.start();
  }
}
